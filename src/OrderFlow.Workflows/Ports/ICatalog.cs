using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The store's product catalog.</summary>
public interface ICatalog
{
    /// <summary>Of the given SKUs, those that exist and are sellable.</summary>
    Task<IReadOnlySet<string>> FindSellableAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default);

    Task UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default);

    Task<CatalogItem?> GetAsync(string sku, CancellationToken cancellationToken = default);

    /// <summary>Every SKU in the catalog (the reservation reaper walks their entities).</summary>
    Task<IReadOnlyList<string>> ListSkusAsync(CancellationToken cancellationToken = default);
}
