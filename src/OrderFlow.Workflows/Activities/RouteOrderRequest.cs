using System.Text.Json.Serialization;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Activities;

/// <summary>Input of <see cref="RouteOrderActivity"/>: the reservations the order holds.</summary>
/// <param name="Before">From <see cref="OrderWorkflowVersions.StatusWithStep"/>: a status written before the routing
/// (Reserved); null (and not serialized) otherwise.</param>
/// <param name="Then">From <see cref="OrderWorkflowVersions.StatusWithStep"/>: the status written once the fulfillments
/// are recorded (InFulfillment); null (and not serialized) otherwise.</param>
public sealed record RouteOrderRequest(
    string OrderId,
    IReadOnlyList<ReservationOutcome> Reservations,
    int FirstNumber = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusChange? Before = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusChange? Then = null);
