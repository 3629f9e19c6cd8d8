namespace OrderFlow.Domain.Returns;

/// <summary>Units of one SKU a customer sends back.</summary>
public sealed record ReturnLine(string Sku, int Quantity);
