namespace OrderFlow.Workflows.Contracts;

/// <summary>One line of an order's history: a step, decision, email or case.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Message);
