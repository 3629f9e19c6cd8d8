using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A person's decision on a case, delivered to the waiting workflow as an external event.</summary>
public sealed record CaseDecision(string CaseId, CaseResolution Resolution, string DecidedBy, string? Comment)
{
    public static string EventName(string caseId) => $"CaseResolved-{caseId}";
}
