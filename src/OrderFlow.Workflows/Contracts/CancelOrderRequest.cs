namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A request to cancel an order, or some of its lines, raised to the order's workflow as the external event
/// <see cref="EventName"/>. Restock, refund and notify are separate choices (a store may cancel without refunding,
/// e.g. when the platform already refunded). <see cref="Lines"/> null or empty cancels everything not yet shipped.
/// </summary>
public sealed record CancelOrderRequest(
    string RequestId,
    IReadOnlyList<CancelLine>? Lines,
    bool Restock,
    bool Refund,
    bool NotifyCustomer,
    string Reason,
    string RequestedBy)
{
    public const string EventName = "CancelRequested";
}

/// <summary>Units of one SKU to cancel.</summary>
public sealed record CancelLine(string Sku, int Quantity);
