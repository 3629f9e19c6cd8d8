namespace OrderFlow.Workflows.Contracts;

/// <summary>Orders last updated in [<paramref name="From"/>, <paramref name="To"/>), at most <paramref name="Limit"/> of them.</summary>
public sealed record OrderRange(DateTimeOffset From, DateTimeOffset To, int Limit);
