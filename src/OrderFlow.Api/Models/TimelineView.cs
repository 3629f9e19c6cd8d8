namespace OrderFlow.Api.Models;

/// <summary>One timeline entry.</summary>
public sealed record TimelineView(DateTimeOffset At, string Kind, string Message);
