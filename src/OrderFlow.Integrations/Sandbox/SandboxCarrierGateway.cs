using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX carrier "SandboxPost": the tracking number is a hash of the idempotency key, so the same key always
/// returns the same label; every label costs a flat 5.00 USD (the label request carries no currency).
/// </summary>
public sealed partial class SandboxCarrierGateway(ILogger<SandboxCarrierGateway> logger) : ICarrierGateway
{
    public const string CarrierName = "SandboxPost";
    public static readonly Money FlatRate = new(500, "USD");

    public Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        var number = "SBX" + SandboxHash.Digits(request.IdempotencyKey, 12);
        var label = new ShippingLabel(
            CarrierName,
            "Ground",
            number,
            $"https://tracking.example/{number}",
            $"https://labels.example/{number}.pdf",
            FlatRate);
        LogLabel(request.OrderId, request.FulfillmentId, number);
        return Task.FromResult(label);
    }

    /// <summary>Every sandbox void is submitted (as EasyPost answers most refunds at first).</summary>
    public Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        LogVoid(request.OrderId, request.FulfillmentId, request.TrackingNumber);
        return Task.FromResult(new LabelVoidResult(LabelVoidResult.Submitted));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox label {TrackingNumber} of fulfillment {FulfillmentId} voided")]
    private partial void LogVoid(string orderId, string fulfillmentId, string trackingNumber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox label {TrackingNumber} for fulfillment {FulfillmentId}")]
    private partial void LogLabel(string orderId, string fulfillmentId, string trackingNumber);
}
