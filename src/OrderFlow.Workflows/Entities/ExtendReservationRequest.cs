namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: the order is alive; hold its reservation until the new deadline.</summary>
public sealed record ExtendReservationRequest(string OrderId, DateTimeOffset ExpiresAt);
