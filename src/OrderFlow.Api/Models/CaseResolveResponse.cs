namespace OrderFlow.Api.Models;

/// <summary>Result of an operator resolution.</summary>
public sealed record CaseResolveResponse(string CaseId, string Resolution, string Outcome, CaseView Case);
