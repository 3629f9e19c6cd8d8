using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OrderFlow.Domain.Common;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// An order's refunds in the WooCommerce REST API v3 (orders/{id}/refunds). WooCommerce takes no idempotency key, so
/// each refund OrderFlow creates carries an "[orderflow:...]" marker in its reason, and the refunds are read before one is
/// created; the create is never resent after an answer that may have applied it (only after 429).
/// </summary>
internal static class WooCommerceOrderRefunds
{
    /// <summary>The order's refund whose reason carries <paramref name="marker"/>, or null.</summary>
    public static async Task<JsonElement?> FindAsync(WooCommerceRestClient rest, string orderId, string marker, CancellationToken cancellationToken)
    {
        using var refunds = await rest.SendAsync(HttpMethod.Get, Path(orderId) + "?per_page=100", null, "order refunds", cancellationToken);
        return refunds.RootElement.ValueKind == JsonValueKind.Array
            && refunds.RootElement.EnumerateArray().FirstOrDefault(r => WooCommerceRestClient.Text(r, "reason")?.Contains(marker, StringComparison.Ordinal) == true) is { ValueKind: JsonValueKind.Object } found
                ? found.Clone()
                : null;
    }

    /// <summary>
    /// Creates a refund of <paramref name="amount"/> (a decimal string in the order's currency) with <paramref name="reason"/>;
    /// <paramref name="throughGateway"/> is api_refund: the order's gateway pays it back, else it is only recorded.
    /// Never restocks (OrderFlow owns stock). Returns WooCommerce's refund object.
    /// </summary>
    public static async Task<JsonElement> CreateAsync(
        WooCommerceRestClient rest, string orderId, Money amount, string reason, bool throughGateway, CancellationToken cancellationToken)
    {
        using var created = await rest.SendAsync(
            HttpMethod.Post,
            Path(orderId),
            JsonContent.Create(new
            {
                amount = Currencies.ToDecimal(amount).ToString(CultureInfo.InvariantCulture),
                reason,
                api_refund = throughGateway,
                api_restock = false,
            }),
            "order refund",
            cancellationToken,
            onlyRetryRefused: true);
        return created.RootElement.Clone();
    }

    private static string Path(string orderId) => $"orders/{Uri.EscapeDataString(orderId)}/refunds";
}
