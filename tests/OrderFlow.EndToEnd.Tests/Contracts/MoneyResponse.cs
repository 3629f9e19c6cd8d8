namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>Money on the wire: minor units, currency, display string.</summary>
public sealed record MoneyResponse(long MinorUnits, string Currency, string Display);
