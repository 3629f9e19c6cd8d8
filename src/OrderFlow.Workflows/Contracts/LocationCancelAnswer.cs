namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What a location answered when told to cancel a fulfillment: <see cref="Cancelled"/> (nothing leaves),
/// <see cref="AlreadyShipped"/> (the parcel left; <see cref="TrackingNumber"/> when it said which), or
/// <see cref="Pending"/> (the request was delivered, the answer comes later through the signed fulfillment callback).
/// </summary>
public sealed record LocationCancelAnswer(string Outcome, string? TrackingNumber = null, string? Detail = null)
{
    public const string Cancelled = "cancelled";
    public const string AlreadyShipped = "already-shipped";
    public const string Pending = "pending";
}
