namespace OrderFlow.Domain.Routing;

/// <summary>What a fulfillment location is.</summary>
public enum LocationKind
{
    Warehouse,
    Store,
    ThirdParty,
    Dropship,
    Digital,
    Pickup,
}
