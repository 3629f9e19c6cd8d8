using System.Diagnostics.CodeAnalysis;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Integrations.Shopify;

/// <summary>The outcome of mapping a Shopify order: the canonical order, or every structural problem found.</summary>
public sealed record ShopifyMapResult
{
    private ShopifyMapResult(Order? order, IReadOnlyList<string> errors)
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

    public static ShopifyMapResult Success(Order order) => new(order ?? throw new ArgumentNullException(nameof(order)), []);

    public static ShopifyMapResult Failure(IReadOnlyList<string> errors) =>
        errors is { Count: > 0 } ? new(null, errors) : throw new ArgumentException("A failure needs at least one error.", nameof(errors));
}
