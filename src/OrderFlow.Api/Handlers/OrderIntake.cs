using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// The one start path every order channel shares once a delivery is verified and mapped: refuse an order outside
/// <see cref="OrderLimits"/> (422), record it under its delivery id (dedupe), index the payment intent, start the
/// workflow under the order id, relay payment events held for it, and answer 202 accepted or 200 duplicate. A dedupe hit
/// (same delivery id, or same order id) with different content is recorded as rejected-conflict and answered 409: it is
/// another order, and answering "duplicate" would lose it.
/// </summary>
public sealed partial class OrderIntake(
    IDeliveryStore deliveries,
    IPaymentEventStore payments,
    PaymentEventRelay paymentRelay,
    IPendingCancellationStore pendingCancellations,
    IOptions<WorkflowOptions> workflow,
    IOptions<InventoryOptions> inventory,
    ILogger<OrderIntake> logger)
{
    /// <summary>Longest delivery id header accepted (after the signature check; before it, any length is recorded).</summary>
    public const int MaxDeliveryIdLength = 256;

    /// <summary>Why a verified delivery id header is refused (too long), naming the header and the limit; null when it fits.</summary>
    public static string? DeliveryIdProblem(string header, string deliveryId)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        return deliveryId.Length > MaxDeliveryIdLength ? $"{header} is {deliveryId.Length} characters; at most {MaxDeliveryIdLength} are accepted." : null;
    }

    /// <param name="delivery">The accepted delivery (outcome accepted, raw payload) for <paramref name="order"/>.</param>
    public async Task<IResult> StartAsync(WebhookDelivery delivery, Order order, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(workflows);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.OrderId });
        if (OrderLimits.Check(order) is { Count: > 0 } broken)
        {
            var reason = string.Join(" ", broken.Select(e => $"{e.Field}: {e.Message}"));
            await deliveries.RecordRejectedAsync(delivery with { Outcome = DeliveryOutcomes.RejectedMalformed, Reason = reason, OrderId = null }, cancellationToken);
            LogRefused(delivery.Source, delivery.DeliveryId, reason);
            return Problems.Unprocessable(reason);
        }

        // The order id claim and the delivery record are the two dedupe inserts; a delivery id already taken by another
        // body is looked up only when the insert finds it taken (then the claim this delivery made is given back).
        var contentHash = OrderContent.Hash(order);
        delivery = delivery with { ContentHash = contentHash };
        var claim = await deliveries.ClaimOrderAsync(order.OrderId, contentHash, delivery.DeliveryId, cancellationToken);
        if (claim.ContentHash != contentHash)
        {
            // A delivery id taken by another body is named first, as it is the more specific refusal.
            return await ConflictingDeliveryAsync(delivery, cancellationToken) is { } seen
                ? await ConflictAsync(delivery, order, DeliveryConflict(delivery, seen), cancellationToken)
                : await ConflictAsync(delivery, order, $"Order {order.OrderId} was already received with different content (delivery {claim.DeliveryId}).", cancellationToken);
        }

        var firstTime = await deliveries.TryRecordAcceptedAsync(delivery, order, cancellationToken);
        if (!firstTime && await ConflictingDeliveryAsync(delivery, cancellationToken) is { } taken)
        {
            if (claim.DeliveryId == delivery.DeliveryId)
            {
                await deliveries.ReleaseOrderClaimAsync(order.OrderId, contentHash, delivery.DeliveryId, cancellationToken);
            }

            return await ConflictAsync(delivery, order, DeliveryConflict(delivery, taken), cancellationToken);
        }

        // Alongside the start: a payment event arriving from now on finds its order (and is held until the workflow exists;
        // the pending notices are relayed below, once both are done). First claim wins: an intent another order already
        // holds stays bound to it, and payment verification refuses this one.
        var binding = order.PaymentReference is { Length: > 0 } paymentIntentId
            ? payments.RecordOrderAsync(paymentIntentId, order.OrderId, cancellationToken)
            : Task.FromResult(string.Empty);
        var input = new OrderWorkflowInput(order.OrderId, delivery.Source, delivery.DeliveryId, workflow.Value.ToSettings() with { BackorderWait = inventory.Value.BackorderMaxWait }, OrderWorkflowVersions.Current);
        if (!firstTime)
        {
            var existing = workflows.GetStatusAsync(order.OrderId, cancellationToken);
            await Task.WhenAll(binding, existing);
            if (await existing is not null)
            {
                LogDuplicate(delivery.Source, delivery.DeliveryId, order.OrderId);
                await RelayPendingAsync(order, await binding, workflows, cancellationToken);
                return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
            }
        }

        // Recorded but not started (a crash between the two, or a redelivery after one): start now.
        var starting = workflows.StartAsync(nameof(OrderOrchestrator), order.OrderId, input, cancellationToken);
        await Task.WhenAll(binding, starting);
        if (!await starting)
        {
            LogAlreadyStarted(order.OrderId, delivery.Source, delivery.DeliveryId);
            await RelayPendingAsync(order, await binding, workflows, cancellationToken);
            return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
        }

        LogStarted(delivery.Source, delivery.DeliveryId, order.OrderId);
        await RelayPendingAsync(order, await binding, workflows, cancellationToken);
        return Results.Accepted(ApiRoutes.OrderUrl(order.OrderId), new IntakeResponse(order.OrderId, DeliveryOutcomes.Accepted, ApiRoutes.OrderUrl(order.OrderId)));
    }

    /// <summary>
    /// The accepted delivery already recorded under this delivery's id with other content (or with no order at all, e.g. a
    /// cancellation under the same webhook id); null when none.
    /// </summary>
    private async Task<WebhookDelivery?> ConflictingDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        await deliveries.GetAsync(delivery.Source, delivery.DeliveryId, cancellationToken) is { } seen
        && !seen.Outcome.StartsWith("rejected", StringComparison.Ordinal)
        && seen.ContentHash != delivery.ContentHash
            ? seen
            : null;

    private static string DeliveryConflict(WebhookDelivery delivery, WebhookDelivery seen) =>
        $"Delivery {delivery.DeliveryId} was already received with different content (order {seen.OrderId}); a delivery id names one body, so a new order needs a new delivery id.";

    private async Task<IResult> ConflictAsync(WebhookDelivery delivery, Order order, string reason, CancellationToken cancellationToken)
    {
        await deliveries.RecordRejectedAsync(delivery with { Outcome = DeliveryOutcomes.RejectedConflict, Reason = reason, OrderId = order.OrderId }, cancellationToken);
        LogConflict(delivery.Source, delivery.DeliveryId, order.OrderId);
        return Problems.Conflict(reason);
    }

    /// <summary>
    /// Cancellations that arrived before this order (held pending) reach its workflow once it exists; the workflow
    /// applies a request id once, so a request raised twice in a race does no harm.
    /// </summary>
    private async Task RaiseCancellationsAsync(string orderId, IReadOnlyList<CancelOrderRequest> held, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        foreach (var request in held)
        {
            await workflows.RaiseEventAsync(orderId, CancelOrderRequest.EventName, request, cancellationToken);
            await pendingCancellations.RemoveAsync(orderId, request.RequestId, cancellationToken);
            LogCancellationRelayed(orderId, request.RequestId);
        }
    }

    /// <summary>
    /// Payment events that arrived before this order (held pending) reach the workflow of the order their intent is bound
    /// to (<paramref name="boundOrderId"/>, empty when the order names no intent), then held cancellations reach this one.
    /// </summary>
    /// <remarks>Both pending lists are read at once; the events are then raised in the same order as ever (payment first).</remarks>
    private async Task RelayPendingAsync(Order order, string boundOrderId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var paymentIntentId = order.PaymentReference is { Length: > 0 } reference && !string.IsNullOrEmpty(boundOrderId) ? reference : null;
        var notices = paymentIntentId is null ? Task.FromResult<IReadOnlyList<PaymentEventNotice>>([]) : payments.GetPendingAsync(paymentIntentId, cancellationToken);
        var held = pendingCancellations.ListAsync(order.OrderId, cancellationToken);
        await Task.WhenAll(notices, held);
        if (paymentIntentId is not null)
        {
            await paymentRelay.RaiseAsync(paymentIntentId, boundOrderId, await notices, workflows, cancellationToken);
        }

        await RaiseCancellationsAsync(order.OrderId, await held, workflows, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} delivery {DeliveryId}: {Reason}")]
    private partial void LogRefused(string source, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} delivery {DeliveryId} for order {OrderId}: seen before with different content")]
    private partial void LogConflict(string source, string deliveryId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: held cancellation {RequestId} raised to the new workflow")]
    private partial void LogCancellationRelayed(string orderId, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Source} delivery {DeliveryId} for order {OrderId}")]
    private partial void LogDuplicate(string source, string deliveryId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has a workflow; {Source} delivery {DeliveryId} is a duplicate")]
    private partial void LogAlreadyStarted(string orderId, string source, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {Source} delivery {DeliveryId}; workflow started for order {OrderId}")]
    private partial void LogStarted(string source, string deliveryId, string orderId);
}
