namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>Stock counters at one location.</summary>
public sealed record LocationStockResponse(int OnHand, int Reserved, int Available);
