namespace OrderFlow.Workflows.Entities;

/// <summary>Counters at one location.</summary>
public sealed record LocationStockView(int OnHand, int Reserved, int Available);
