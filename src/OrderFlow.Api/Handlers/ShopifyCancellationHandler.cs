using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Api.Models;
using OrderFlow.Api.Webhooks;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/cancelled: the same signature, webhook id and recording rules as orders/create, then a whole-order
/// <see cref="CancelOrderRequest"/> to the order's workflow (order id mapped as intake maps it). Every verified delivery
/// is answered 200 and recorded with its outcome: accepted (raised), unmatched (no such order) or too-late (the
/// workflow already finished; also noted on the order's timeline), so Shopify does not resend and nothing is dropped. A
/// verified delivery that cannot be read (no order id) is kept whole with an IntakeRejected case and answered 200
/// rejected-needs-review (<see cref="UnmappableDeliveries"/>).
/// </summary>
/// <remarks>
/// Recorded only after it was handled, so a failure answers 500 and Shopify's redelivery tries again; the request id is
/// derived from the order and Shopify's cancelled_at, so a redelivery raises the same request id.
/// </remarks>
public sealed partial class ShopifyCancellationHandler(
    ShopifyWebhookReceiver receiver,
    IEventDeliveryStore events,
    OrderCancellation cancellation,
    IPendingCancellationStore pending,
    UnmappableDeliveries unmappable,
    ILogger<ShopifyCancellationHandler> logger)
{
    public const string Source = ShopifyWebhookReceiver.Source;
    public const string Topic = "orders/cancelled";
    public const string RequestedBy = "shopify";

    /// <summary>What a person does about a cancellation that could not be read (its IntakeRejected case says so).</summary>
    public const string CancellationNotApplied =
        "No cancellation was raised: find the order Shopify cancelled and cancel it here (POST /api/orders/{orderId}/cancel) if it is still running, then approve to acknowledge.";

    public async Task<IResult> OrdersCancelledAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var (receipt, answered) = await receiver.ReceiveNewAsync(request, Topic, cancellationToken);
        if (answered is not null)
        {
            return answered;
        }

        var (mapped, error) = ShopifyCancellationMapper.Map(receipt.Raw);
        if (mapped is null)
        {
            // Signed, so Shopify would resend it and then drop it, and a cancellation would be lost: a 200 and a case.
            var caseId = await unmappable.RejectAsync(
                Source, receipt.WebhookId, receipt.Topic, receipt.Raw, error ?? "The cancelled order could not be read.", CancellationNotApplied, cancellationToken);
            return Results.Ok(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, caseId));
        }

        var orderId = mapped.OrderId;
        var occurrence = mapped.CancelledAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? receipt.WebhookId;
        var cancel = new CancelOrderRequest(
            OrderCancellation.RequestIdFor(Source, $"{orderId}|{occurrence}"),
            null,
            mapped.Restock,
            !mapped.MoneyHandledByShopify,
            true,
            CancelReasons.FromShopify(mapped.CancelReason),
            RequestedBy);
        var submitted = await cancellation.SubmitAsync(orderId, cancel, workflows, cancellationToken);
        if (submitted.Outcome == CancellationSubmission.NoWorkflow)
        {
            // orders/cancelled overtook orders/create: hold it for intake, then look once more (intake may have started
            // the workflow meanwhile; the workflow applies a request id once).
            await pending.HoldAsync(orderId, cancel, cancellationToken);
            submitted = await cancellation.SubmitAsync(orderId, cancel, workflows, cancellationToken);
            if (submitted.Outcome == CancellationSubmission.Raised)
            {
                await pending.RemoveAsync(orderId, cancel.RequestId, cancellationToken);
            }
        }

        var (outcome, reason) = submitted.Outcome switch
        {
            CancellationSubmission.Raised => (DeliveryOutcomes.Accepted, $"Cancellation {cancel.RequestId} raised ({cancel.Reason}, restock {cancel.Restock}, refund {cancel.Refund})."),
            CancellationSubmission.TooLate => (CancellationSubmission.TooLate, OrderCancellation.TooLateDetail(orderId, submitted.FinishedAs!)),
            _ => (CancellationSubmission.Held, $"No order workflow '{orderId}' yet for Shopify order {mapped.ExternalId}: cancellation {cancel.RequestId} held until the order arrives."),
        };

        var first = await events.TryRecordAcceptedEventAsync(
            new WebhookDelivery(Source, receipt.WebhookId, receipt.Topic, receipt.ReceivedAt, outcome, reason, orderId, receipt.Raw),
            cancellationToken);
        if (!first)
        {
            return await receiver.LostRaceAsync(receipt, orderId, cancellationToken);
        }

        LogHandled(orderId, receipt.WebhookId, outcome);
        return Results.Ok(new IntakeResponse(orderId, outcome, ApiRoutes.OrderUrl(orderId)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Shopify orders/cancelled delivery {DeliveryId} recorded as {Outcome}")]
    private partial void LogHandled(string orderId, string deliveryId, string outcome);
}
