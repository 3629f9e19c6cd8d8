namespace OrderFlow.Domain.Routing;

/// <summary>Units of one SKU an order needs; digital SKUs are delivered without stock or shipment.</summary>
public sealed record DemandLine(string Sku, int Quantity, bool IsDigital = false);
