namespace OrderFlow.Functions.Tests;

/// <summary>One endpoint the API maps: name, route without the "api/" prefix, verbs upper-cased and sorted, rate-limit policy.</summary>
internal sealed record ApiEndpoint(string Name, string Route, IReadOnlyList<string> Methods, string? RateLimitPolicy = null);
