namespace OrderFlow.Api.Models;

/// <summary>An order line.</summary>
public sealed record OrderLineView(string LineId, string Sku, string Title, int Quantity, MoneyView UnitPrice);
