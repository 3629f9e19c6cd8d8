using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The pick lists handed to own warehouses, as the pick-and-pack page reads them and the location's answers move them.
/// Hand-offs are written by the queue fulfillment adapter itself.
/// </summary>
public interface IPickListStore
{
    /// <summary>
    /// Moves the pick list to <paramref name="status"/> after the location's answer was applied: "picked" only from
    /// open; a closed pick list keeps its status. Returns false when the fulfillment has no pick list here.
    /// </summary>
    Task<bool> RecordStatusAsync(string location, string fulfillmentId, string status, CancellationToken cancellationToken = default);

    /// <summary>The pick list of one fulfillment at a location, or null.</summary>
    Task<PickListEntry?> GetAsync(string location, string fulfillmentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The location's open pick lists (open or picked), oldest first, at most <paramref name="max"/>; HasMore says
    /// whether more are waiting behind them.
    /// </summary>
    Task<(IReadOnlyList<PickListEntry> Picks, bool HasMore)> ListOpenAsync(string location, int max, CancellationToken cancellationToken = default);
}
