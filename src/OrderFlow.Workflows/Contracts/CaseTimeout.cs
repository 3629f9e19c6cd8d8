using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Nobody decided a case by its last deadline; the workflow applied the reason's default.</summary>
public sealed record CaseTimeout(string CaseId, string OrderId, CaseResolution DefaultApplied);
