namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>A SKU and quantity in a fulfillment or pick list.</summary>
public sealed record FulfillmentLineResponse(string Sku, int Quantity);
