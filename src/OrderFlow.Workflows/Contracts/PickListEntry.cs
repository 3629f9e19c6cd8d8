using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// One pick list handed to an own warehouse, as the pick-and-pack page shows it: its lines (SKU and quantity; no bin is
/// known yet, so the SKU is where to look), the tracking number of the label bought for it, and how far it got.
/// </summary>
public sealed record PickListEntry(
    string Location,
    string FulfillmentId,
    string OrderId,
    IReadOnlyList<FulfillmentLine> Lines,
    string? TrackingNumber,
    DateTimeOffset HandedOffAt,
    string Status,
    string? CancelReason = null)
{
    /// <summary>Handed off, not picked yet.</summary>
    public const string Open = "open";

    /// <summary>Picked, not shipped yet (still on the open list).</summary>
    public const string Picked = "picked";

    public const string Shipped = "shipped";

    /// <summary>What was packed shipped; the short units went back to routing.</summary>
    public const string Short = "short";

    public const string Rejected = "rejected";

    /// <summary>The order was cancelled and the warehouse stopped the pick (it answered "cancelled").</summary>
    public const string Stopped = "stopped";

    /// <summary>Still to be worked at the location: open or picked.</summary>
    public bool IsOpen => Status is Open or Picked;

    /// <summary>The order's cancellation reached the location (a cancel message was sent); the pick waits for "stopped" or "shipped".</summary>
    public bool CancelRequested => CancelReason is not null;
}
