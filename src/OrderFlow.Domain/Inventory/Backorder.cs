namespace OrderFlow.Domain.Inventory;

/// <summary>Units an order waits for, in order of arrival (<see cref="Sequence"/> is when it joined the queue).</summary>
public sealed class Backorder
{
    public required string OrderId { get; init; }

    public int Quantity { get; set; }

    public long Sequence { get; init; }
}
