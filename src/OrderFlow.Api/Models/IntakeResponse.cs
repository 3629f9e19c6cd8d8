namespace OrderFlow.Api.Models;

/// <summary>Answer to an accepted or duplicate delivery.</summary>
public sealed record IntakeResponse(string OrderId, string Status, string StatusUrl);
