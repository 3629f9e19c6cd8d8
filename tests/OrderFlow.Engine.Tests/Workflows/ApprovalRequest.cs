namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Input of <see cref="ApprovalOrchestrator"/>.</summary>
public sealed record ApprovalRequest(string OrderId, long AmountMinor);
