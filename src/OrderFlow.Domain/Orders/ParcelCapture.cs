using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Orders;

/// <summary>One capture of an authorized payment: the fulfillment it is for, the amount, and whether it is the final one.</summary>
public sealed record ParcelCapture(string FulfillmentId, Money Amount, bool Final);
