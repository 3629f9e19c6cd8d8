using System.Text.Json.Serialization;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What reached OrderFlow for an order before its workflow existed and was held for it: payment notices of the order's
/// intent (oldest first) and cancellation requests (a store's orders/cancelled overtaking its orders/create). Since
/// revision 13 (<see cref="OrderWorkflowVersions.IntakeBehindStart"/>) the order's first activity reads them and the
/// workflow raises them to itself; intake no longer waits for them.
/// </summary>
public sealed record HeldAtIntake(IReadOnlyList<PaymentEventNotice> PaymentNotices, IReadOnlyList<CancelOrderRequest> Cancellations)
{
    [JsonIgnore]
    public bool IsEmpty => PaymentNotices.Count == 0 && Cancellations.Count == 0;
}

/// <summary>The input of <c>ClearHeldAtIntakeActivity</c>: what the workflow raised to itself, to be marked relayed and no longer held.</summary>
public sealed record ClearHeldRequest(string OrderId, HeldAtIntake Held);
