using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A payment provider event relayed to an order's workflow as the external event "PaymentEvent-{Type}". Stripe repeats
/// and reorders events, and a notice can be relayed twice, so a workflow dedupes on <see cref="EventId"/> and orders by
/// <see cref="OccurredAt"/>.
/// </summary>
public sealed record PaymentEventNotice(
    string EventId,
    string Type,
    string PaymentIntentId,
    Money? Amount,
    string? Reason,
    DateTimeOffset OccurredAt);
