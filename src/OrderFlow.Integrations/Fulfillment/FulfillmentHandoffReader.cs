using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Completes a dispatch for a partner: the ship-to address from the order store, the label and tracking when the
/// fulfillment already has them, and the signed-callback URL on the app's public base URL (Approvals:PublicBaseUrl).
/// </summary>
public sealed class FulfillmentHandoffReader(IOrderStore orders, IOptions<ApprovalsOptions> approvals)
{
    /// <summary>Same route as ApiRoutes.FulfillmentEvents under the "api" prefix (a test keeps them equal).</summary>
    public const string CallbackPathTemplate = "/api/fulfillments/{fulfillmentId}/events";

    public async Task<FulfillmentHandoff> ReadAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        ArgumentException.ThrowIfNullOrWhiteSpace(dispatch.IdempotencyKey);
        var record = await orders.GetAsync(dispatch.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order '{dispatch.OrderId}' is not in the order store; fulfillment {dispatch.FulfillmentId} cannot be handed off.");
        var stored = record.Fulfillments.FirstOrDefault(f => f.FulfillmentId == dispatch.FulfillmentId);
        var tracking = string.IsNullOrWhiteSpace(dispatch.TrackingNumber) ? stored?.TrackingNumber : dispatch.TrackingNumber;
        return new FulfillmentHandoff(dispatch, record.Order.ShippingAddress, stored?.Carrier, tracking, stored?.LabelUrl, CallbackUrl(dispatch.FulfillmentId));
    }

    public string CallbackUrl(string fulfillmentId) =>
        approvals.Value.PublicBaseUrl.TrimEnd('/') + CallbackPathTemplate.Replace("{fulfillmentId}", Uri.EscapeDataString(fulfillmentId), StringComparison.Ordinal);
}
