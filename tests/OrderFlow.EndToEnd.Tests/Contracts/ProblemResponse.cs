namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>An RFC 7807 problem body.</summary>
public sealed record ProblemResponse(string? Type, string? Title, int? Status, string? Detail);
