namespace OrderFlow.Integrations.Payments;

/// <summary>Store-owner choices for payments the sales channel holds, section "Payments". Values are case-insensitive.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>Hold the order (a PaymentFailed case that waits until the channel reports it paid, then Retry).</summary>
    public const string Hold = "Hold";

    /// <summary>Ship a pending (manual: bank deposit, cash on delivery) payment; the channel collects it.</summary>
    public const string Ship = "Ship";

    public static IReadOnlyList<string> PendingPolicyValues { get; } = [Hold, Ship];

    /// <summary>
    /// What happens to an order whose channel reports its payment pending (Shopify <c>financial_status</c> "pending",
    /// WooCommerce "pending"/"on-hold"): <see cref="Hold"/> (default) or <see cref="Ship"/>.
    /// </summary>
    public string PendingPolicy { get; set; } = Hold;

    public bool ShipPending => string.Equals(PendingPolicy?.Trim(), Ship, StringComparison.OrdinalIgnoreCase);
}
