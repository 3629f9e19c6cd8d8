using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// The one start path every order channel shares once a delivery is verified and mapped: record it under its delivery id
/// (dedupe), index the payment intent, start the workflow under the order id, relay payment events held for it, and answer
/// 202 accepted or 200 duplicate.
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
    /// <param name="delivery">The accepted delivery (outcome accepted, raw payload) for <paramref name="order"/>.</param>
    public async Task<IResult> StartAsync(WebhookDelivery delivery, Order order, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(workflows);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.OrderId });
        var firstTime = await deliveries.TryRecordAcceptedAsync(delivery, order, cancellationToken);
        if (order.PaymentReference is { Length: > 0 } paymentIntentId)
        {
            // Before the start: a payment event arriving from now on finds its order (and waits for the workflow if needed).
            // First claim wins: an intent another order already holds stays bound to it, and payment verification refuses this one.
            await payments.RecordOrderAsync(paymentIntentId, order.OrderId, cancellationToken);
        }

        var input = new OrderWorkflowInput(order.OrderId, delivery.Source, delivery.DeliveryId, workflow.Value.ToSettings() with { BackorderWait = inventory.Value.BackorderMaxWait });
        if (!firstTime && await workflows.GetStatusAsync(order.OrderId, cancellationToken) is not null)
        {
            LogDuplicate(delivery.Source, delivery.DeliveryId, order.OrderId);
            await RelayPaymentEventsAsync(order.PaymentReference, workflows, cancellationToken);
            await RelayCancellationsAsync(order.OrderId, workflows, cancellationToken);
            return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
        }

        // Recorded but not started (a crash between the two, or a redelivery after one): start now.
        var started = await workflows.StartAsync(nameof(OrderOrchestrator), order.OrderId, input, cancellationToken);
        if (!started)
        {
            LogAlreadyStarted(order.OrderId, delivery.Source, delivery.DeliveryId);
            await RelayPaymentEventsAsync(order.PaymentReference, workflows, cancellationToken);
            await RelayCancellationsAsync(order.OrderId, workflows, cancellationToken);
            return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
        }

        LogStarted(delivery.Source, delivery.DeliveryId, order.OrderId);
        await RelayPaymentEventsAsync(order.PaymentReference, workflows, cancellationToken);
        await RelayCancellationsAsync(order.OrderId, workflows, cancellationToken);
        return Results.Accepted(ApiRoutes.OrderUrl(order.OrderId), new IntakeResponse(order.OrderId, DeliveryOutcomes.Accepted, ApiRoutes.OrderUrl(order.OrderId)));
    }

    /// <summary>
    /// Cancellations that arrived before this order (held pending) reach its workflow once it exists; the workflow
    /// applies a request id once, so a request raised twice in a race does no harm.
    /// </summary>
    private async Task RelayCancellationsAsync(string orderId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        foreach (var request in await pendingCancellations.ListAsync(orderId, cancellationToken))
        {
            await workflows.RaiseEventAsync(orderId, CancelOrderRequest.EventName, request, cancellationToken);
            await pendingCancellations.RemoveAsync(orderId, request.RequestId, cancellationToken);
            LogCancellationRelayed(orderId, request.RequestId);
        }
    }

    /// <summary>Payment events that arrived before this order (held pending) reach its workflow once it exists.</summary>
    private async Task RelayPaymentEventsAsync(string? paymentIntentId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(paymentIntentId))
        {
            await paymentRelay.RelayPendingAsync(paymentIntentId, workflows, cancellationToken, workflowStarted: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: held cancellation {RequestId} raised to the new workflow")]
    private partial void LogCancellationRelayed(string orderId, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Source} delivery {DeliveryId} for order {OrderId}")]
    private partial void LogDuplicate(string source, string deliveryId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has a workflow; {Source} delivery {DeliveryId} is a duplicate")]
    private partial void LogAlreadyStarted(string orderId, string source, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {Source} delivery {DeliveryId}; workflow started for order {OrderId}")]
    private partial void LogStarted(string source, string deliveryId, string orderId);
}
