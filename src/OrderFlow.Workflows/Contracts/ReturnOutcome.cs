namespace OrderFlow.Workflows.Contracts;

/// <summary>How a return workflow ended.</summary>
public sealed record ReturnOutcome(string ReturnId, ReturnStatus Status, string Summary);
