namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The order workflow stops a running Fulfillment child (an event to the child, <see cref="EventName"/>). Without
/// <see cref="Unwind"/>: a whole-order cancellation came after something shipped; the parcel stops where it would have
/// stopped in the order workflow (before its label, or while it waits for its location) and is recalled from its
/// location. With <see cref="Unwind"/>: the order is being cancelled; the child stops at once and recalls a parcel it
/// handed off. <see cref="TooLate"/>: a cancellation request is behind it (a parcel that left anyway is emailed as
/// "cancel-too-late").
/// </summary>
public sealed record FulfillmentStop(bool Unwind, bool TooLate)
{
    public const string EventName = "FulfillmentStop";
}
