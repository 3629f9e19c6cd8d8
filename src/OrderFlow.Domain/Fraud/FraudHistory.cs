namespace OrderFlow.Domain.Fraud;

/// <summary>
/// What the recent-orders store knows around an order (the order itself excluded): the customer's earlier orders
/// (count and average value in the order's currency), and, within the velocity window, the most other orders from one
/// email, IP or shipping address, and failed payments from the email or IP. Null history (no store) skips those signals.
/// </summary>
public sealed record FraudHistory(
    int PriorOrders,
    long AveragePriorValueMinorUnits,
    int RecentOrdersFromEmail,
    int RecentOrdersFromIp,
    int RecentOrdersToAddress,
    int RecentFailedPayments)
{
    public static FraudHistory None { get; } = new(0, 0, 0, 0, 0, 0);
}
