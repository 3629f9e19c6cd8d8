namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Where stock changes wait to be pushed to the sales channels. Only the latest levels of each SKU are kept, so a
/// burst of changes becomes one push; a version at or below the one already recorded is ignored.
/// </summary>
public interface IChannelSyncOutbox
{
    /// <summary>
    /// Records the available units per location of <paramref name="sku"/> after a stock change.
    /// <paramref name="version"/> must increase with every change of that SKU (the entity's change counter).
    /// </summary>
    Task RecordAsync(string sku, IReadOnlyDictionary<string, int> availableByLocation, long version, CancellationToken cancellationToken = default);
}
