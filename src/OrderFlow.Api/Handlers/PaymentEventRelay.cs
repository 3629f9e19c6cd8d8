using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Relays the pending payment notices of one payment intent to its order's workflow, oldest first, once the order is
/// known and its workflow exists (an event raised to a missing instance is dropped by the engine, so it waits instead).
/// Called by the Stripe webhook and by the order intake right after it starts a workflow.
/// </summary>
public sealed partial class PaymentEventRelay(IPaymentEventStore store, ILogger<PaymentEventRelay> logger)
{
    /// <summary>
    /// The order id when the intent's order has a running workflow (pending notices relayed); null otherwise.
    /// </summary>
    public async Task<string?> RelayPendingAsync(string paymentIntentId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        ArgumentNullException.ThrowIfNull(workflows);
        var orderId = await store.FindOrderAsync(paymentIntentId, cancellationToken);
        if (orderId is null)
        {
            return null;
        }

        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (status is null || status.IsTerminal)
        {
            // Not started yet (the intake relays after starting it) or already over: keep the notices pending, on record.
            LogHeld(paymentIntentId, orderId, status?.RuntimeStatus ?? "not started");
            return null;
        }

        await this.RelayToAsync(paymentIntentId, orderId, workflows, cancellationToken);
        return orderId;
    }

    /// <summary>
    /// Relays the pending notices of <paramref name="paymentIntentId"/> to <paramref name="orderId"/>, the order the intent
    /// is bound to (as <see cref="IPaymentEventStore.RecordOrderAsync"/> returned it), whose workflow exists.
    /// </summary>
    public async Task RelayToAsync(string paymentIntentId, string orderId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(workflows);
        await this.RaiseAsync(paymentIntentId, orderId, await store.GetPendingAsync(paymentIntentId, cancellationToken), workflows, cancellationToken);
    }

    /// <summary>Raises <paramref name="notices"/> (pending notices of the intent, oldest first) to <paramref name="orderId"/>'s workflow, marking each relayed.</summary>
    public async Task RaiseAsync(string paymentIntentId, string orderId, IReadOnlyList<PaymentEventNotice> notices, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        ArgumentNullException.ThrowIfNull(workflows);
        foreach (var notice in notices)
        {
            await workflows.RaiseEventAsync(orderId, PaymentEvents.EventName(notice.Type), notice, cancellationToken);
            await store.MarkRaisedAsync(paymentIntentId, notice.EventId, orderId, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment notices of {PaymentIntentId} held for order {OrderId}: workflow {RuntimeStatus}")]
    private partial void LogHeld(string paymentIntentId, string orderId, string runtimeStatus);
}
