using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Carrier tracking statuses of a fulfillment and the rule that they only move forward: in-transit, out-for-delivery,
/// delivered (final). A delivery exception can happen at any stage before delivery, and a parcel moving again after one
/// goes on from there. Statuses the workflow writes (label-purchased, awaiting-confirmation, shipped) come before all of
/// them; a cancelled fulfillment takes no tracking status.
/// </summary>
public static class TrackingProgress
{
    public const string InTransit = CarrierStatuses.InTransit;
    public const string OutForDelivery = CarrierStatuses.OutForDelivery;
    public const string Delivered = CarrierStatuses.Delivered;
    public const string DeliveryException = CarrierStatuses.DeliveryException;
    private const string Cancelled = "cancelled";

    /// <summary>Our status for an EasyPost tracker status; null for those we do not follow (pre_transit, unknown, available_for_pickup, cancelled).</summary>
    public static string? FromEasyPost(string? status) => status switch
    {
        "in_transit" => InTransit,
        "out_for_delivery" => OutForDelivery,
        "delivered" => Delivered,
        "failure" or "return_to_sender" or "error" => DeliveryException,
        _ => null,
    };

    /// <summary>True when <paramref name="next"/> moves a fulfillment on from <paramref name="current"/>.</summary>
    public static bool Advances(string? current, string next)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(next);
        if (string.Equals(current, next, StringComparison.Ordinal) || current is Delivered or Cancelled)
        {
            return false;
        }

        return next == DeliveryException || current == DeliveryException || Rank(next) > Rank(current);
    }

    /// <summary>What the customer hears for a status: nothing for in-transit (the shipped email already went out).</summary>
    public static Milestone? MilestoneFor(string status) => status switch
    {
        OutForDelivery => Milestone.OutForDelivery,
        Delivered => Milestone.Delivered,
        DeliveryException => Milestone.Delayed,
        _ => null,
    };

    private static int Rank(string? status) => status switch
    {
        InTransit => 1,
        OutForDelivery => 2,
        Delivered => 3,
        _ => 0,
    };
}
