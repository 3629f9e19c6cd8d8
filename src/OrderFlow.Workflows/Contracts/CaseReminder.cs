namespace OrderFlow.Workflows.Contracts;

/// <summary>A case still undecided at its first deadline; the next tier is reminded.</summary>
public sealed record CaseReminder(string CaseId, string OrderId);
