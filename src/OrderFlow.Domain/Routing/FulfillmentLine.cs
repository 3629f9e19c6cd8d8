namespace OrderFlow.Domain.Routing;

/// <summary>A SKU and quantity in one fulfillment.</summary>
public sealed record FulfillmentLine(string Sku, int Quantity);
