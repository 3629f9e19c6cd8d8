namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>One open case in GET /api/cases (the fields these tests read).</summary>
public sealed record CaseResponse(string CaseId, string OrderId, string Reason, string Step, string Error, string Status);
