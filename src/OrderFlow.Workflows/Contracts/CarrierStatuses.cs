namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Fulfillment statuses only the carrier's tracking updates set. They come after "shipped": the order workflow's own
/// records never move a parcel back from one of them, and the tracking webhook moves them forward only.
/// </summary>
public static class CarrierStatuses
{
    public const string InTransit = "in-transit";
    public const string OutForDelivery = "out-for-delivery";
    public const string Delivered = "delivered";
    public const string DeliveryException = "delivery-exception";

    public static bool Contains(string? status) => status is InTransit or OutForDelivery or Delivered or DeliveryException;

    /// <summary>
    /// True once the goods have left the location: shipped, then every carrier status after it (a digital fulfillment
    /// is recorded as delivered at once). Reconciliation counts these units as shipped.
    /// </summary>
    public static bool HasShipped(string? status) => status == FulfillmentConfirmation.Shipped || Contains(status);
}
