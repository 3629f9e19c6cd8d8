using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Api.Webhooks;

/// <summary>The outcome of mapping a channel's order (Shopify, WooCommerce): the canonical order, or every structural problem found.</summary>
public sealed record OrderMapResult
{
    private OrderMapResult(Order? order, IReadOnlyList<string> errors)
    {
        Order = order;
        Errors = errors;
    }

    public Order? Order { get; }

    /// <summary>Each problem names the field, e.g. "line_items[1].quantity must be an integer".</summary>
    public IReadOnlyList<string> Errors { get; }

    [MemberNotNullWhen(true, nameof(Order))]
    public bool Succeeded => Order is not null;

    /// <summary>All errors in one line (for a 400 response or a rejected delivery's reason).</summary>
    public string Error => string.Join("; ", Errors);

    public static OrderMapResult Success(Order order) => new(order ?? throw new ArgumentNullException(nameof(order)), []);

    /// <summary>Parses <paramref name="utf8Body"/> and maps its root object, or fails naming what the body should have been.</summary>
    public static OrderMapResult FromJson(ReadOnlyMemory<byte> utf8Body, string expected, Func<JsonElement, OrderMapResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body);
        }
        catch (JsonException ex)
        {
            return Failure([$"body is not valid JSON: {ex.Message}"]);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? map(document.RootElement)
                : Failure([$"body must be a JSON object ({expected})"]);
        }
    }

    public static OrderMapResult Failure(IReadOnlyList<string> errors) =>
        errors is { Count: > 0 } ? new(null, errors) : throw new ArgumentException("A failure needs at least one error.", nameof(errors));
}
