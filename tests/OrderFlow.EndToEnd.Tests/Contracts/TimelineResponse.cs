namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>One timeline entry of an order.</summary>
public sealed record TimelineResponse(DateTimeOffset At, string Kind, string Message);
