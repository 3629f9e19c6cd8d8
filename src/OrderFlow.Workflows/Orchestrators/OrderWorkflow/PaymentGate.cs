using System.Globalization;
using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// The order's payment: verification (a PaymentFailed case per failed round) and the relayed payment events (refund,
/// payment failure, dispute), taken at checkpoints between steps. Before anything shipped a payment failure or a dispute
/// holds the order until a person decides; after a shipment a dispute opens a review without holding it.
/// </summary>
internal sealed class PaymentGate(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    /// <summary>
    /// One wait per relayed payment event, started once at payment verification and consumed once: checkpoints test
    /// <c>IsCompleted</c> (history order, so replay-safe) instead of racing them. A repeated notice stays buffered.
    /// </summary>
    private readonly Dictionary<string, Task<PaymentEventNotice>> paymentNotices = new(StringComparer.Ordinal);

    /// <summary>Payment event types already acted on.</summary>
    private readonly HashSet<string> handledNotices = new(StringComparer.Ordinal);

    /// <summary>The last payment event checkpoint; parallel branches wait for one that holds the order.</summary>
    private Task? paymentHold;

    private string OrderId => state.OrderId;

    /// <summary>
    /// Returns the verified payment, or null when a person (or the deadline) cancelled. From
    /// <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>, given the <paramref name="confirmation"/> that follows it
    /// (the lifecycle's verification, not a restarted run's), the verification that succeeds also sends that email
    /// (<see cref="PaymentVerification.ConfirmationSent"/>, see <see cref="ConfirmAsync"/>) and screens the order for fraud
    /// (<see cref="PaymentVerification.Fraud"/>, taken by the workflow's fraud step).
    /// </summary>
    public async Task<PaymentVerification?> VerifyAsync(CustomerNotification? confirmation = null)
    {
        var email = state.Input.Runs(OrderWorkflowVersions.StepsCarriedTogether) ? confirmation : null;
        this.ListenForPaymentEvents();
        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            context.SetCustomStatus("verify-payment");
            // From revision 16 the verification writes PaymentConfirmed itself when it verifies (its note says what).
            var carried = state.Input.Runs(OrderWorkflowVersions.PaymentConfirmedWithVerification);
            var result = await steps.StepAsync<PaymentVerification>(nameof(VerifyPaymentActivity), new VerifyPaymentRequest(
                OrderId, state.Order.PaymentReference, state.Order.Totals.Total, carried ? steps.StatusChangeFor(OrderStatus.PaymentConfirmed, "Payment verified.") : null, email, email is null ? null : true));
            if (result.Verified)
            {
                await steps.SetStatusAsync(OrderStatus.PaymentConfirmed, result.ConfirmedNote(), carried: carried);
                return result;
            }

            // Still processing, and the provider has since said the intent succeeded: verify once more before escalating.
            if (result.FailureReason?.Contains("processing", StringComparison.OrdinalIgnoreCase) == true
                && await this.TakeNoticeAsync(PaymentEvents.PaymentIntentSucceeded) is not null)
            {
                continue;
            }

            var declined = result.FailureReason?.Contains("declin", StringComparison.OrdinalIgnoreCase) == true;
            await steps.NotifyAsync(new CustomerNotification(
                OrderId, Milestone.PaymentProblem, null, round.ToString(CultureInfo.InvariantCulture),
                declined ? new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = "declined" } : null));
            if (await steps.EscalateAsync(ExceptionReason.PaymentFailed, "verify-payment", result.FailureReason ?? $"Payment state {result.State}.") != CaseResolution.RetryStep)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Tells the customer the order is confirmed (<paramref name="confirmation"/>), unless the verification that returned
    /// <paramref name="payment"/> already sent it.
    /// </summary>
    public Task ConfirmAsync(PaymentVerification payment, CustomerNotification confirmation) =>
        payment.ConfirmationSent == true ? Task.CompletedTask : steps.NotifyAsync(confirmation);

    /// <summary>
    /// A checkpoint between steps. A refund is noted on the timeline. Before anything shipped, a payment failure
    /// (PaymentFailed case) or a dispute (FraudReview case) holds the order until a person decides: Cancel cancels
    /// the order, anything else goes on. After a shipment a dispute opens a FraudReview case without holding the order.
    /// </summary>
    public async Task CheckAsync(string step)
    {
        // Parallel fulfillments: while one checkpoint holds the order for a payment event, the others wait for it.
        if (this.paymentHold is { IsCompleted: false })
        {
            await this.paymentHold;
        }

        this.paymentHold = this.CheckOnceAsync(step);
        await this.paymentHold;
    }

    /// <summary>Starts the one wait per relayed payment event (once; events raised earlier are buffered by the engine).</summary>
    private void ListenForPaymentEvents()
    {
        foreach (var type in PaymentEvents.Relayed)
        {
            if (!this.paymentNotices.ContainsKey(type))
            {
                this.paymentNotices[type] = context.WaitForExternalEvent<PaymentEventNotice>(PaymentEvents.EventName(type));
            }
        }
    }

    /// <summary>The notice of <paramref name="type"/> if it has arrived and was not acted on yet (then it is marked handled); never waits.</summary>
    private async Task<PaymentEventNotice?> TakeNoticeAsync(string type)
    {
        if (this.handledNotices.Contains(type) || !this.paymentNotices.TryGetValue(type, out var wait) || wait is not { IsCompletedSuccessfully: true })
        {
            return null;
        }

        var notice = await wait;
        if (notice is null)
        {
            return null;
        }

        this.handledNotices.Add(type);
        return notice;
    }

    private async Task CheckOnceAsync(string step)
    {
        if (await this.TakeNoticeAsync(PaymentEvents.ChargeRefunded) is { } refund)
        {
            await this.RecordPaymentEvent(refund, "noted");
        }

        if (!state.Progress.AnyShipped && await this.TakeNoticeAsync(PaymentEvents.PaymentIntentPaymentFailed) is { } failed)
        {
            await this.RecordPaymentEvent(failed, $"fulfillment held at {step}");
            await this.HoldAsync(ExceptionReason.PaymentFailed, step, failed, "payment");
        }

        if (await this.TakeNoticeAsync(PaymentEvents.ChargeDisputeCreated) is { } dispute)
        {
            if (!state.Progress.AnyShipped)
            {
                await this.RecordPaymentEvent(dispute, $"fulfillment held at {step}");
                await this.HoldAsync(ExceptionReason.FraudReview, step, dispute, null);
            }
            else
            {
                await this.RecordPaymentEvent(dispute, "review opened after shipment");
                await steps.Desk.OpenAsync(ExceptionReason.FraudReview, "dispute", "dispute", Describe(dispute));
            }
        }
    }

    private async Task HoldAsync(ExceptionReason reason, string step, PaymentEventNotice notice, string? reasonCode)
    {
        if (await steps.EscalateAsync(reason, $"payment-event-{step}", Describe(notice)) == CaseResolution.Cancel)
        {
            throw state.Cancel($"Cancelled after payment event {notice.Type}.", reasonCode);
        }
    }

    private static string Describe(PaymentEventNotice notice) =>
        $"Payment provider reported {notice.Type} ({notice.EventId}){(string.IsNullOrWhiteSpace(notice.Reason) ? "" : ": " + notice.Reason)}.";

    private Task RecordPaymentEvent(PaymentEventNotice notice, string action) =>
        steps.StepAsync<bool>(nameof(RecordPaymentEventActivity), new RecordPaymentEventRequest(OrderId, notice, action));
}
