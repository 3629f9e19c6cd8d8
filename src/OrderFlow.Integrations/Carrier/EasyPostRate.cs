using OrderFlow.Domain.Common;

namespace OrderFlow.Integrations.Carrier;

/// <summary>One EasyPost rate of a shipment: what it costs and how many days the carrier says it takes (null: unknown).</summary>
public sealed record EasyPostRate(string Id, string Carrier, string Service, Money Cost, int? DeliveryDays);
