namespace OrderFlow.Host.Tests.Engine.Workflows;

/// <summary>Input of <see cref="ApprovalOrchestrator"/>.</summary>
public sealed record ApprovalRequest(string OrderId, long AmountMinor);
