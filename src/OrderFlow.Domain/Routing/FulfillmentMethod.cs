namespace OrderFlow.Domain.Routing;

/// <summary>How a location is handed its fulfillments.</summary>
public enum FulfillmentMethod
{
    OwnWarehouse,
    ThirdPartyApi,
    DropshipEmail,
    DropshipApi,
    DigitalDelivery,
    LocalPickup,
}
