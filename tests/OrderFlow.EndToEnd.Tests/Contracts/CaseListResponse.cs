namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>GET /api/cases: the open cases.</summary>
public sealed record CaseListResponse(int Count, IReadOnlyList<CaseResponse> Cases);
