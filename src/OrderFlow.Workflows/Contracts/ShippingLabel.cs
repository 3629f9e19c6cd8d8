using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A purchased label: carrier, tracking and cost.</summary>
public sealed record ShippingLabel(string Carrier, string Service, string TrackingNumber, string TrackingUrl, string LabelUrl, Money Cost);
