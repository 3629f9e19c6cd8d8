using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A person's decision on a case, delivered to the waiting workflow as an external event.
/// <paramref name="CorrectedAddress"/> is required for <see cref="CaseResolution.CorrectAddress"/> and ignored otherwise.
/// </summary>
public sealed record CaseDecision(string CaseId, CaseResolution Resolution, string DecidedBy, string? Comment, Address? CorrectedAddress = null)
{
    public static string EventName(string caseId) => $"CaseResolved-{caseId}";
}
