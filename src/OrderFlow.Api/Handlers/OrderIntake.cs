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
/// <see cref="OrderLimits"/> (422), claim its order id and record it under its delivery id (dedupe: one write for an
/// order's first delivery), start the workflow under the order id, and answer 202 accepted or 200 duplicate. Nothing
/// else is awaited: payment notices and cancellations held for the order reach it through its workflow's first activity
/// (order revision 13). A dedupe hit (same delivery id, or same order id) with different content is recorded as
/// rejected-conflict and answered 409: it is another order, and answering "duplicate" would lose it.
/// </summary>
public sealed partial class OrderIntake(
    IDeliveryStore deliveries,
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

        var contentHash = OrderContent.Hash(order);
        delivery = delivery with { ContentHash = contentHash };
        var input = new OrderWorkflowInput(order.OrderId, delivery.Source, delivery.DeliveryId, workflow.Value.ToSettings() with { BackorderWait = inventory.Value.BackorderMaxWait }, OrderWorkflowVersions.Current);

        // An order's first delivery: the order id claim and the delivery record are one write (the dedupe insert), then
        // the start message. Nothing else is awaited before the answer: what was held for the order before its workflow
        // existed (payment notices of its intent, cancellations) is read and raised by its first activity (revision 13).
        if (await deliveries.TryRecordNewOrderAsync(delivery, order, cancellationToken))
        {
            if (await workflows.StartAsync(nameof(OrderOrchestrator), order.OrderId, input, cancellationToken))
            {
                return Started(delivery, order);
            }

            // A workflow without a claim under this store's layout: the order was claimed before claims moved beside
            // their deliveries, and that claim still decides whether this delivery is the same order.
            var earlier = await deliveries.ClaimOrderAsync(order.OrderId, contentHash, delivery.DeliveryId, cancellationToken);
            if (earlier.ContentHash != contentHash)
            {
                await deliveries.WithdrawNewOrderAsync(delivery, order, cancellationToken);
                return await ConflictAsync(delivery, order, OrderConflict(order, earlier), cancellationToken);
            }

            return AlreadyStarted(delivery, order);
        }

        // Taken, or not writable together: claim, then record, one at a time. A delivery id already taken by another body
        // is looked up only when the insert finds it taken (then the claim this delivery made is given back).
        var claim = await deliveries.ClaimOrderAsync(order.OrderId, contentHash, delivery.DeliveryId, cancellationToken);
        if (claim.ContentHash != contentHash)
        {
            // A delivery id taken by another body is named first, as it is the more specific refusal.
            return await ConflictingDeliveryAsync(delivery, cancellationToken) is { } seen
                ? await ConflictAsync(delivery, order, DeliveryConflict(delivery, seen), cancellationToken)
                : await ConflictAsync(delivery, order, OrderConflict(order, claim), cancellationToken);
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

        if (!firstTime && await workflows.GetStatusAsync(order.OrderId, cancellationToken) is not null)
        {
            LogDuplicate(delivery.Source, delivery.DeliveryId, order.OrderId);
            return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
        }

        // Recorded but not started (a crash between the two, or a redelivery after one): start now.
        return await workflows.StartAsync(nameof(OrderOrchestrator), order.OrderId, input, cancellationToken)
            ? Started(delivery, order)
            : AlreadyStarted(delivery, order);
    }

    private IResult Started(WebhookDelivery delivery, Order order)
    {
        LogStarted(delivery.Source, delivery.DeliveryId, order.OrderId);
        return Results.Accepted(ApiRoutes.OrderUrl(order.OrderId), new IntakeResponse(order.OrderId, DeliveryOutcomes.Accepted, ApiRoutes.OrderUrl(order.OrderId)));
    }

    private IResult AlreadyStarted(WebhookDelivery delivery, Order order)
    {
        LogAlreadyStarted(order.OrderId, delivery.Source, delivery.DeliveryId);
        return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
    }

    private static string OrderConflict(Order order, OrderContentClaim claim) =>
        $"Order {order.OrderId} was already received with different content (delivery {claim.DeliveryId}).";

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} delivery {DeliveryId}: {Reason}")]
    private partial void LogRefused(string source, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} delivery {DeliveryId} for order {OrderId}: seen before with different content")]
    private partial void LogConflict(string source, string deliveryId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Source} delivery {DeliveryId} for order {OrderId}")]
    private partial void LogDuplicate(string source, string deliveryId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has a workflow; {Source} delivery {DeliveryId} is a duplicate")]
    private partial void LogAlreadyStarted(string orderId, string source, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {Source} delivery {DeliveryId}; workflow started for order {OrderId}")]
    private partial void LogStarted(string source, string deliveryId, string orderId);
}
