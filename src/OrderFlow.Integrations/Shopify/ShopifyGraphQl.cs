using System.Text.Json;

namespace OrderFlow.Integrations.Shopify;

/// <summary>Reading Shopify GraphQL Admin API answers: top-level errors and the userErrors of a mutation payload.</summary>
internal static class ShopifyGraphQl
{
    public static bool IsThrottled(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("extensions", out var extensions)
        && extensions.ValueKind == JsonValueKind.Object
        && extensions.TryGetProperty("code", out var code)
        && code.ValueKind == JsonValueKind.String
        && code.GetString() == "THROTTLED";

    /// <summary>The "data" of an answer; throws when the answer carries top-level GraphQL errors instead.</summary>
    public static JsonElement Data(JsonElement root, string operation)
    {
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var messages = errors.EnumerateArray().Select(e => e.TryGetProperty("message", out var m) ? m.GetString() : e.GetRawText());
            throw new InvalidOperationException($"Shopify {operation} failed with GraphQL errors: {string.Join("; ", messages)}");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"Shopify {operation} answered without data.");
        }

        return data;
    }

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The userErrors (or another errors list, such as orderCancelUserErrors) of a mutation payload; empty when none.</summary>
    public static IReadOnlyList<ShopifyUserError> UserErrors(JsonElement payload, string property = "userErrors") =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(property, out var errors) && errors.ValueKind == JsonValueKind.Array
            ? errors.EnumerateArray()
                .Select(e => new ShopifyUserError(
                    String(e, "code"),
                    e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(x => x.ToString()).ToList() : [],
                    String(e, "message") ?? string.Empty))
                .ToList()
            : [];
}
