namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>The engine's view of an order's workflow.</summary>
public sealed record WorkflowResponse(string RuntimeStatus, string? Step);
