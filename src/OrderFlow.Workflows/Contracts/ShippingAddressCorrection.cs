using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A person's corrected shipping address for an order, from a CorrectAddress case decision.</summary>
public sealed record ShippingAddressCorrection(string OrderId, Address Address, string CorrectedBy);
