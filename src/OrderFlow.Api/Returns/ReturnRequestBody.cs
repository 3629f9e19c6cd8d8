using OrderFlow.Domain.Returns;

namespace OrderFlow.Api.Returns;

/// <summary>Body of POST /api/orders/{orderId}/returns. <see cref="RefundShipping"/> null uses Returns:RefundShipping.</summary>
public sealed record ReturnRequestBody(IReadOnlyList<ReturnLine>? Lines, string? Reason, bool? RefundShipping);
