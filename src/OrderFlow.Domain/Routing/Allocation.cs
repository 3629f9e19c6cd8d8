namespace OrderFlow.Domain.Routing;

/// <summary>
/// Units of one SKU to take from one location. Digital allocations hold no stock and make no shipment, so they are
/// neither reserved nor counted as shipments.
/// </summary>
public sealed record Allocation(string Sku, string LocationId, int Quantity, LocationKind Kind, FulfillmentMethod Method, bool IsDigital = false);
