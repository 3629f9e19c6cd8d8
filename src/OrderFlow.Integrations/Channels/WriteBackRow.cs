using OrderFlow.Domain.Common;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// One pending storefront write of the WriteBack table: the order, its channel, the row key (the op, plus the fulfillment
/// id for a parcel, the refund key for a refund), the op, its order among the order's writes, tries so far, and when the
/// next may run; a refund row also carries its OrderFlow refund key and amount.
/// </summary>
public sealed record WriteBackRow(
    string OrderId,
    string Channel,
    string Key,
    string Op,
    string? FulfillmentId,
    long Sequence,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string ETag,
    string? RefundKey = null,
    Money? Amount = null);
