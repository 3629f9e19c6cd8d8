namespace OrderFlow.Domain.Routing;

/// <summary>
/// How good a location or set of locations is, compared field by field: more units covered, then fewer shipments,
/// then priorities (worst member first, lower is better), then total zone distance, then the slowest handling time.
/// </summary>
public sealed record AllocationScore(int UnitsCovered, int Shipments, IReadOnlyList<int> Priorities, int ZoneDistance, int HandlingDays);
