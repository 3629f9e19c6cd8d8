using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Models;
using OrderFlow.Api.Webhooks;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/create intake: verify, dedupe, record, start one workflow per order, answer 202 fast.
/// Every delivery, accepted or rejected, is recorded with its raw payload; a signed one that cannot be mapped opens an
/// IntakeRejected case and is answered 200 (see <see cref="UnmappableDeliveries"/>).
/// </summary>
public sealed class ShopifyWebhookHandler(ShopifyWebhookReceiver receiver, OrderIntake intake, UnmappableDeliveries unmappable)
{
    public const string Source = ShopifyWebhookReceiver.Source;
    public const string Topic = "orders/create";

    public async Task<IResult> OrdersCreateAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var receipt = await receiver.ReceiveAsync(request, Topic, cancellationToken);
        if (receipt.Rejection is { } rejection)
        {
            return rejection;
        }

        var mapped = ShopifyOrderMapper.Map(receipt.Raw);
        if (!mapped.Succeeded)
        {
            // Signed, so Shopify would resend the same body until it removes the subscription: a 200 and a case instead.
            var caseId = await unmappable.RejectAsync(Source, receipt.WebhookId, receipt.Topic, receipt.Raw, mapped.Error, cancellationToken);
            return Results.Ok(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, caseId));
        }

        var order = mapped.Order!;
        var delivery = new WebhookDelivery(Source, receipt.WebhookId, receipt.Topic, receipt.ReceivedAt, DeliveryOutcomes.Accepted, null, order.OrderId, receipt.Raw);
        return await intake.StartAsync(delivery, order, workflows, cancellationToken);
    }
}
