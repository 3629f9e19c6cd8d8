namespace OrderFlow.Workflows.Contracts;

/// <summary>The label bought for a fulfillment, or why the carrier refused the ship-to address (a person must correct it).</summary>
public sealed record LabelOutcome(ShippingLabel? Label, string? AddressError);
