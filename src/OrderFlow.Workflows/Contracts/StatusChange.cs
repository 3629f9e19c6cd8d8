using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Moves an order to a new status and writes a timeline entry. <see cref="Restarted"/> (a restarted run) keeps the
/// recorded status when the move is not allowed from it (the run passes phases the order had already left).
/// </summary>
public sealed record StatusChange(
    string OrderId,
    OrderStatus Status,
    string Note,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool Restarted = false);
