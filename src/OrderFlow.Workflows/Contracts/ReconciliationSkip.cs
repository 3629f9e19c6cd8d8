namespace OrderFlow.Workflows.Contracts;

/// <summary>An order of the range that was not reconciled, and why.</summary>
public sealed record ReconciliationSkip(string OrderId, string Reason);
