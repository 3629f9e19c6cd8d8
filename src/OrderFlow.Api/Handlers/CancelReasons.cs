namespace OrderFlow.Api.Handlers;

/// <summary>
/// The short reason codes a cancellation carries (<see cref="OrderFlow.Workflows.Contracts.CancelOrderRequest.Reason"/>),
/// and how Shopify's <c>cancel_reason</c> values map onto them.
/// </summary>
public static class CancelReasons
{
    public const string CustomerRequest = "customer-request";
    public const string Fraud = "fraud";
    public const string OutOfStock = "out-of-stock";
    public const string PaymentDeclined = "payment-declined";
    public const string StaffError = "staff-error";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [CustomerRequest, Fraud, OutOfStock, PaymentDeclined, StaffError, Other];

    public static bool IsKnown(string? code) => code is not null && All.Contains(code, StringComparer.Ordinal);

    /// <summary>Shopify's cancel_reason (customer, fraud, inventory, declined, staff, other; absent on old orders) as our code.</summary>
    public static string FromShopify(string? cancelReason) => cancelReason?.Trim().ToLowerInvariant() switch
    {
        "customer" => CustomerRequest,
        "fraud" => Fraud,
        "inventory" => OutOfStock,
        "declined" => PaymentDeclined,
        "staff" => StaffError,
        _ => Other,
    };
}
