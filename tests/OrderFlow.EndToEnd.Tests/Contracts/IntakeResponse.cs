namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>Answer of the Shopify webhook to an accepted or duplicate delivery.</summary>
public sealed record IntakeResponse(string OrderId, string Status, string StatusUrl);
