using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The SKUs split automatically (<see cref="AutoSplit"/>), one record per SKU, kept across restarts of the hosts.</summary>
public interface IAutoSplitStore
{
    /// <summary>Every SKU split automatically now, or before while its shards may hold units.</summary>
    Task<IReadOnlyList<AutoSplit>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the SKU's record (replacing the one it had).</summary>
    Task SaveAsync(AutoSplit split, CancellationToken cancellationToken = default);

    /// <summary>Forgets the SKU (its shards are empty); no error when it is not there.</summary>
    Task DeleteAsync(string sku, CancellationToken cancellationToken = default);
}
