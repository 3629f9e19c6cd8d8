using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="ICatalog"/>; a SKU the test never added is unknown.</summary>
public sealed class FakeCatalog : ICatalog
{
    private readonly ConcurrentDictionary<string, CatalogItem> items = new(StringComparer.Ordinal);

    /// <summary>The next sellable lookups fail (a catalog that does not answer).</summary>
    public FaultPlan FailLookup { get; } = new();

    public void Add(params string[] skus)
    {
        foreach (var sku in skus)
        {
            this.items[sku] = new CatalogItem(sku, $"Product {sku}", Sellable: true);
        }
    }

    public Task<IReadOnlySet<string>> FindSellableAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default) =>
        this.FailLookup.ShouldFail()
            ? Task.FromException<IReadOnlySet<string>>(new TransientPortException("Catalog lookup timed out."))
            : Task.FromResult<IReadOnlySet<string>>(
                skus.Where(s => this.items.TryGetValue(s, out var item) && item.Sellable).ToHashSet(StringComparer.Ordinal));

    public Task UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default)
    {
        this.items[item.Sku] = item;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListSkusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. this.items.Keys.Order(StringComparer.Ordinal)]);

    public Task<CatalogItem?> GetAsync(string sku, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.items.GetValueOrDefault(sku));
}
