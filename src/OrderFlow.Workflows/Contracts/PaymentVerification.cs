using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>What the provider says about the order's payment. Verified means paid (or authorized) for the exact amount.</summary>
public sealed record PaymentVerification(PaymentState State, Money? Amount, string? RiskLevel, string? FailureReason)
{
    public bool Verified => State is PaymentState.Succeeded or PaymentState.RequiresCapture && FailureReason is null;
}
