namespace OrderFlow.Api.Models;

/// <summary>The engine's view of the order's workflow.</summary>
public sealed record WorkflowView(string RuntimeStatus, string? Step);
