using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// How a Fulfillment child workflow ended, for its parent to apply to the order's progress.
/// </summary>
/// <param name="Shipped">The part of the parcel that shipped (null: nothing left).</param>
/// <param name="Plans">What the parcel's plan became (itself, the part that shipped, the part a person decides about, or nothing when
/// every unit moved elsewhere), then the unshipped remainders it added ("{id}-short").</param>
/// <param name="Notices">How many notices the child sent its parent (the parent takes them all before it applies the outcome).</param>
/// <param name="Cancelled">Set when the order was cancelled from inside the child (a person cancelled a failed step) or while it ran: why.</param>
/// <param name="CancelReasonCode">The customer-email reason code of that cancellation, if any.</param>
public sealed record FulfillmentOutcome(
    string FulfillmentId,
    PlannedFulfillment? Shipped,
    IReadOnlyList<PlannedFulfillment> Plans,
    int Notices,
    string? Cancelled = null,
    string? CancelReasonCode = null);
