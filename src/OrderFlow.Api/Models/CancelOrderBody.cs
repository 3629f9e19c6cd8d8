using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Api.Models;

/// <summary>
/// Body of POST /api/orders/{orderId}/cancel. <see cref="Lines"/> absent or empty cancels everything not yet shipped;
/// restock, refund and notify default to true; <see cref="Reason"/> is one of the reason codes (required).
/// </summary>
public sealed record CancelOrderBody(
    IReadOnlyList<CancelLine>? Lines,
    bool? Restock,
    bool? Refund,
    bool? NotifyCustomer,
    string? Reason);
