using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// One write to a storefront: the op, its key (for the <see cref="WriteBackOps.Marker"/>), the order as recorded now and,
/// for a parcel, its fulfillment; for a refund, the amount refunded.
/// </summary>
public sealed record WriteBackRequest(string Op, string Key, OrderRecord Order, FulfillmentRecord? Fulfillment, Money? Amount = null);
