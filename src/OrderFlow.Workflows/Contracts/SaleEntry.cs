using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Revenue and tax for a completed order, posted to accounting once (reference = idempotency key).</summary>
public sealed record SaleEntry(string OrderId, string OrderNumber, Money Revenue, Money Tax, Money Shipping, Money Discount, string Reference);
