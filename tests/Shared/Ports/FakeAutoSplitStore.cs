using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IAutoSplitStore"/> (a save replaces the SKU's record).</summary>
public sealed class FakeAutoSplitStore : IAutoSplitStore
{
    private readonly ConcurrentDictionary<string, AutoSplit> splits = new(StringComparer.Ordinal);

    /// <summary>The record of <paramref name="sku"/>, if any.</summary>
    public AutoSplit? Of(string sku) => this.splits.GetValueOrDefault(sku);

    public Task<IReadOnlyList<AutoSplit>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AutoSplit>>([.. this.splits.Values]);

    public Task SaveAsync(AutoSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        this.splits[split.Sku] = split;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string sku, CancellationToken cancellationToken = default)
    {
        this.splits.TryRemove(sku, out _);
        return Task.CompletedTask;
    }
}
