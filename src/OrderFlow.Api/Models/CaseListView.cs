namespace OrderFlow.Api.Models;

/// <summary>Open cases, oldest first, with counts per reason.</summary>
public sealed record CaseListView(int Count, IReadOnlyDictionary<string, int> ByReason, IReadOnlyList<CaseView> Cases);
