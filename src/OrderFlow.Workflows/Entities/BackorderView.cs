namespace OrderFlow.Workflows.Entities;

/// <summary>An order waiting for units of this SKU; <see cref="Position"/> 1 is filled first.</summary>
public sealed record BackorderView(int Position, string OrderId, int Quantity);
