using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Api.Models;
using OrderFlow.Api.Webhooks;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/paid: the same signature, webhook id and recording rules as orders/cancelled. A Shopify-paid order
/// whose payment Shopify held as pending (bank deposit, cash on delivery, a payment still processing) is marked paid on
/// the order, and an open PaymentFailed case holding it (Payments:PendingPolicy=Hold) is decided RetryStep through the
/// case decision outbox, so the workflow verifies the payment again, finds it paid and goes on. Every verified delivery
/// is answered 200 and recorded: accepted (marked paid; whether a hold was released is in the reason), unmatched (no
/// such order yet) or ignored (the order's payment authority is not Shopify, or the body does not say paid).
/// </summary>
public sealed partial class ShopifyPaymentHandler(
    ShopifyWebhookReceiver receiver,
    IEventDeliveryStore events,
    ChannelPaymentRelease release,
    UnmappableDeliveries unmappable,
    ILogger<ShopifyPaymentHandler> logger)
{
    public const string Source = ShopifyWebhookReceiver.Source;
    public const string Topic = "orders/paid";
    public const string DecidedBy = "shopify:orders/paid";
    public const string Ignored = ChannelPaymentRelease.Ignored;

    /// <summary>What a person does about an orders/paid delivery that could not be read (its IntakeRejected case says so).</summary>
    public const string PaymentNotApplied =
        "No payment update was applied: look the order up in Shopify; if it is paid and its order here is held by a PaymentFailed case, retry that case, then approve to acknowledge.";

    public async Task<IResult> OrdersPaidAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var (receipt, answered) = await receiver.ReceiveNewAsync(request, Topic, cancellationToken);
        if (answered is not null)
        {
            return answered;
        }

        // orders/paid carries the same Order resource as orders/cancelled: its id and financial_status are what counts.
        var (mapped, error) = ShopifyCancellationMapper.Map(receipt.Raw);
        if (mapped is null)
        {
            var caseId = await unmappable.RejectAsync(Source, receipt.WebhookId, receipt.Topic, receipt.Raw, error ?? "The paid order could not be read.", PaymentNotApplied, cancellationToken);
            return Results.Ok(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, caseId));
        }

        var orderId = mapped.OrderId;
        var (outcome, reason) = await ApplyAsync(orderId, mapped.FinancialStatus, receipt, workflows, cancellationToken);
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

    private async Task<(string Outcome, string Reason)> ApplyAsync(
        string orderId, string? financialStatus, ShopifyReceipt receipt, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!string.Equals(financialStatus, "paid", StringComparison.OrdinalIgnoreCase))
        {
            return (Ignored, $"financial_status is '{financialStatus ?? "missing"}', not paid: nothing changed.");
        }

        return await release.ApplyAsync(
            orderId, ShopifyOrderMapper.Source, p => p with { Status = "paid", PaidAt = p.PaidAt ?? receipt.ReceivedAt }, DecidedBy, receipt.ReceivedAt, workflows, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Shopify orders/paid delivery {DeliveryId} recorded as {Outcome}")]
    private partial void LogHandled(string orderId, string deliveryId, string outcome);
}
