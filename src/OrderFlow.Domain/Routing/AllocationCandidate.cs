namespace OrderFlow.Domain.Routing;

/// <summary>A location, or a set of locations, the policy considered; why it was (in)eligible and, when scored, its score.</summary>
public sealed record AllocationCandidate(IReadOnlyList<string> Locations, bool Eligible, string Reason, AllocationScore? Score = null);
