namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>The external event <see cref="ApprovalOrchestrator"/> waits for.</summary>
public sealed record ApprovalDecision(bool Approved, string DecidedBy);
