using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Activities;

/// <summary>Input of <see cref="RouteOrderActivity"/>: the reservations the order holds.</summary>
public sealed record RouteOrderRequest(string OrderId, IReadOnlyList<ReservationOutcome> Reservations, int FirstNumber = 1);
