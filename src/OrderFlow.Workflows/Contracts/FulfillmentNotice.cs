using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What a Fulfillment child tells its order workflow (an event to the order, <see cref="EventName"/>): a case holds the
/// parcel (<see cref="Held"/>) or was decided (<see cref="Resolved"/>), for the order's status and the customer's hold
/// emails; the parcel is about to be treated as shipped (<see cref="Shipping"/>); or a question the child waits on
/// (<see cref="Dispatch"/>: the payment checkpoint before the hand-off; <see cref="Reroute"/>: move these lines elsewhere),
/// answered with a <see cref="FulfillmentReply"/>.
/// </summary>
public sealed record FulfillmentNotice(
    string Kind,
    string? CaseId = null,
    ExceptionReason? Reason = null,
    CaseResolution? Resolution = null,
    bool OrderGoesOn = false,
    IReadOnlyList<FulfillmentLine>? Lines = null)
{
    public const string Held = "held";
    public const string Resolved = "resolved";
    public const string Shipping = "shipping";
    public const string Dispatch = "dispatch";
    public const string Reroute = "reroute";

    /// <summary>The event the order workflow takes a fulfillment's notices under.</summary>
    public static string EventName(string fulfillmentId) => $"FulfillmentNotice-{fulfillmentId}";
}
