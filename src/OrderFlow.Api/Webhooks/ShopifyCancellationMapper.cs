using System.Globalization;
using System.Text.Json;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// Reads a Shopify <c>orders/cancelled</c> webhook body (the Order resource with <c>cancelled_at</c> and
/// <c>cancel_reason</c> set). Restock follows the payload: a top-level <c>restock</c> flag when present (the legacy
/// cancel call's parameter), else the refunds made by the cancellation (any refund line with a <c>restock_type</c>
/// other than <c>no_restock</c>, or a legacy <c>refunds[].restock</c> flag), else true.
/// </summary>
public static class ShopifyCancellationMapper
{
    /// <summary>The cancellation, or the reasons the body cannot be read as one.</summary>
    public static (ShopifyCancellation? Cancellation, string? Error) Map(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, $"body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "body must be a JSON object (a Shopify order)");
            }

            var json = new JsonFieldReader();
            var externalId = json.Id(root, "id", "id");
            var reason = json.OptionalString(root, "cancel_reason", "cancel_reason");
            var financialStatus = json.OptionalString(root, "financial_status", "financial_status");
            var cancelledAt = json.OptionalString(root, "cancelled_at", "cancelled_at");
            DateTimeOffset? at = null;
            if (cancelledAt is not null)
            {
                if (DateTimeOffset.TryParse(cancelledAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                {
                    at = parsed;
                }
                else
                {
                    json.Add("cancelled_at must be an ISO 8601 timestamp");
                }
            }

            if (json.HasErrors)
            {
                return (null, string.Join("; ", json.Errors));
            }

            return (new ShopifyCancellation(OrderIds.For(ShopifyOrderMapper.Source, externalId!), externalId!, reason, financialStatus, at, Restock(root)), null);
        }
    }

    private static bool Restock(JsonElement root)
    {
        if (root.TryGetProperty("restock", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return flag.GetBoolean();
        }

        if (!root.TryGetProperty("refunds", out var refunds) || refunds.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        bool? restock = null;
        foreach (var refund in refunds.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
        {
            if (refund.TryGetProperty("refund_line_items", out var lines) && lines.ValueKind == JsonValueKind.Array)
            {
                foreach (var line in lines.EnumerateArray())
                {
                    if (line.ValueKind == JsonValueKind.Object && line.TryGetProperty("restock_type", out var type) && type.ValueKind == JsonValueKind.String)
                    {
                        restock = (restock ?? false) || !string.Equals(type.GetString(), "no_restock", StringComparison.OrdinalIgnoreCase);
                    }
                }
            }

            if (restock is null && refund.TryGetProperty("restock", out var legacy) && legacy.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                restock = legacy.GetBoolean();
            }
        }

        return restock ?? true;
    }
}
