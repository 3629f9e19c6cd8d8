namespace OrderFlow.Integrations.Channels;

/// <summary>
/// One pending storefront write of the WriteBack table: the order, its channel, the row key (the op, plus the fulfillment
/// id for a parcel), the op, its order among the order's writes, tries so far, and when the next may run.
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
    string ETag);
