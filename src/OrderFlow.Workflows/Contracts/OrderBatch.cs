namespace OrderFlow.Workflows.Contracts;

/// <summary>The order ids of a range, sorted; <paramref name="Truncated"/> when the range held more than the limit.</summary>
public sealed record OrderBatch(IReadOnlyList<string> OrderIds, bool Truncated);
