using Microsoft.AspNetCore.Http;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/create intake: verify, dedupe, record, start one workflow per order, answer 202 fast.
/// Every delivery, accepted or rejected, is recorded with its raw payload.
/// </summary>
public sealed class ShopifyWebhookHandler(ShopifyWebhookReceiver receiver, OrderIntake intake)
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
            return await receiver.RejectMalformedAsync(receipt, mapped.Error ?? "The order could not be read.", cancellationToken);
        }

        var order = mapped.Order!;
        var delivery = new WebhookDelivery(Source, receipt.WebhookId, receipt.Topic, receipt.ReceivedAt, DeliveryOutcomes.Accepted, null, order.OrderId, receipt.Raw);
        return await intake.StartAsync(delivery, order, workflows, cancellationToken);
    }
}
