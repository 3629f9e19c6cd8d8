namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>Units of a reservation held at one location.</summary>
public sealed record AllocationResponse(string Location, int Quantity);
