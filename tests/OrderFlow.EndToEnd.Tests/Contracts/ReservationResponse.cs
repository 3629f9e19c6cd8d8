namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>One order's hold on a SKU.</summary>
public sealed record ReservationResponse(string OrderId, int Quantity, DateTimeOffset ExpiresAt, IReadOnlyList<AllocationResponse> Allocations);
