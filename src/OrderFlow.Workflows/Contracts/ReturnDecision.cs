using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The policy's answer for a recorded return, with what the workflow needs later when authorized: the order number, the
/// payment to refund and the amounts to price the refund with.
/// </summary>
public sealed record ReturnDecision(
    bool Authorized,
    IReadOnlyList<string> Reasons,
    string OrderNumber,
    string? PaymentReference,
    ReturnPricing? Pricing);
