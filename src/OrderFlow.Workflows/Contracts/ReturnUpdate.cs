using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A return moves to <see cref="Status"/>, with what it learned on the way (receipt, refund).</summary>
public sealed record ReturnUpdate(
    string ReturnId,
    string OrderId,
    ReturnStatus Status,
    string Note,
    ReturnReceipt? Receipt = null,
    RefundQuote? Refund = null,
    string? RefundReference = null);
