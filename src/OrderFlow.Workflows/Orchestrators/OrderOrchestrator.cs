using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators.OrderWorkflow;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// One instance per order (instance id = order id). Runs the lifecycle of ARCHITECTURE.md in order; every side
/// effect is an activity, every judgment call becomes a case a person resolves. The steps live in small collaborators
/// (OrderWorkflow/): <see cref="PaymentGate"/>, <see cref="OrderReservation"/>, <see cref="FulfillmentWaves"/>,
/// <see cref="Settlement"/> and <see cref="CancellationInbox"/>, over the shared <see cref="DurableCalls"/> and
/// <see cref="CaseDesk"/>.
/// </summary>
public sealed class OrderOrchestrator : TaskOrchestrator<OrderWorkflowInput, OrderOutcome>
{
    public override async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderWorkflowInput input)
    {
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    /// <summary>One execution: the lifecycle, step by step.</summary>
    private sealed class Run
    {
        private readonly TaskOrchestrationContext context;
        private readonly OrderState state;
        private readonly OrderSteps steps;
        private readonly CancellationInbox cancellations;
        private readonly PaymentGate payments;
        private readonly OrderReservation stock;
        private readonly OrderValidation validation;
        private readonly FulfillmentWaves fulfillment;
        private readonly Settlement settlement;
        private readonly Compensations compensations = new();

        public Run(TaskOrchestrationContext context, OrderWorkflowInput input)
        {
            this.context = context;
            this.state = new OrderState(input);
            var calls = new DurableCalls(context, input.Settings);

            // A person's decision is awaited like any event: a cancellation request arriving meanwhile is applied at once.
            // A restarted run numbers its cases apart from the runs before it (those ids are taken, and decided).
            var desk = new CaseDesk(calls, input.Settings, input.OrderId, input.RunId, null, this.WaitForDecisionAsync);
            this.steps = new OrderSteps(context, this.state, calls, desk);
            this.cancellations = new CancellationInbox(context, this.state, this.steps);
            this.validation = new OrderValidation(context, this.state, this.steps);
            this.payments = new PaymentGate(context, this.state, this.steps);
            this.stock = new OrderReservation(context, this.state, this.steps, this.payments);
            this.settlement = new Settlement(context, this.state, this.steps, this.cancellations);
            this.fulfillment = new FulfillmentWaves(context, this.state, this.steps, this.cancellations, this.payments, this.settlement);
        }

        private string OrderId => this.state.OrderId;

        private Task<CaseDecision?> WaitForDecisionAsync(string eventName, TimeSpan timeout) =>
            this.cancellations.WaitAsync<CaseDecision>(eventName, timeout);

        /// <summary>
        /// Runs the lifecycle; a step cancelled from deep inside (an UnhandledStepFailure case resolved as Cancel)
        /// unwinds to here and cancels the order once.
        /// </summary>
        public async Task<OrderOutcome> ExecuteAsync()
        {
            try
            {
                return await this.ExecuteStepsAsync();
            }
            catch (StepCancelledException ex)
            {
                var (message, code) = this.state.CancelCause ?? (ex.Message, ex.ReasonCode);
                if (this.state.ParcelsAsChildren)
                {
                    // The Fulfillment children stopped and recalled their parcels before this point (inline parcels, from
                    // revision 18 for a one-parcel order, are recalled below as before revision 12).
                    this.state.Cancelling = true;
                    if (this.state.LateShipped.Count > 0 && this.state.Payment is { } paid)
                    {
                        return await this.CompleteAfterLateCancelAsync(paid, [.. this.state.LateShipped], message);
                    }
                }
                else if (this.state.Input.Runs(OrderWorkflowVersions.CancellationReachesLocation) && this.state.AtLocation.Count > 0)
                {
                    // Fulfillments already handed off are recalled first: a parcel that had left is not refunded.
                    this.state.Cancelling = true;
                    var shipped = await this.fulfillment.RecallAtLocationsAsync();
                    if (shipped.Count > 0 && this.state.Payment is { } payment)
                    {
                        return await this.CompleteAfterLateCancelAsync(payment, shipped, message);
                    }
                }

                return await this.CancelAsync(message, code);
            }
        }

        /// <summary>
        /// A cancellation that came too late for some parcels (their locations had shipped them): the order completes
        /// with what shipped, as a cancellation after a shipment does. Backordered units leave the queue and are
        /// released; what shipped is captured and booked; the rest is released and refunded (unless the request said
        /// the money is handled elsewhere), and the customer is told what was cancelled (unless the request said not to).
        /// </summary>
        private async Task<OrderOutcome> CompleteAfterLateCancelAsync(PaymentVerification payment, List<PlannedFulfillment> shipped, string why)
        {
            var progress = this.state.Progress;
            foreach (var (sku, units) in progress.Backorders.ToList())
            {
                await this.steps.LeaveBackorderAsync(sku);
                progress.CancelUnits(sku, units);
            }

            await this.steps.ReleaseAsync(progress.Backorders.Keys, "release");
            progress.Backorders.Clear();
            if (this.state.Current == OrderStatus.OnHold)
            {
                await this.steps.SetStatusAsync(OrderStatus.InFulfillment, "Resumed: a cancellation could not stop every parcel.");
            }

            var unshipped = await this.settlement.SettleAsync(payment, shipped);
            var final = progress.IsComplete(unshipped) ? OrderStatus.Fulfilled : OrderStatus.PartiallyFulfilled;
            var summary = $"{why} {string.Join(", ", shipped.Select(p => p.FulfillmentId))} had already shipped and could not be stopped; "
                + $"{shipped.Count} of {progress.AllPlans.Count} fulfillment(s) shipped.";
            await this.steps.SetStatusAsync(final, summary);
            return new OrderOutcome(OrderId, final, summary);
        }

        private async Task<OrderOutcome> ExecuteStepsAsync()
        {
            // Received: record the order, listen for cancellation requests.
            this.state.Recorded(await this.steps.StepAsync<OrderSummary>(nameof(RecordOrderActivity), this.state.Input));
            this.context.CreateReplaySafeLogger<OrderOrchestrator>().LogInformation("Order {OrderId} workflow started", OrderId);
            this.cancellations.Listen();
            await HeldAtIntakeRelay.RaiseToSelfAsync(this.context, this.state, this.steps);

            // A run that replaces a failed or terminated one resumes from what the store recorded.
            if (this.state.Restart is { } restart)
            {
                var recorded = await this.steps.StepAsync<RecordedProgress>(nameof(LoadRecordedProgressActivity), OrderId);
                if (restart.Cancel)
                {
                    return await this.CancelAfterRestartAsync(restart, recorded);
                }

                if (RestartPlan.ShippedFulfillments(recorded) is { Count: > 0 } shippedBefore)
                {
                    return await this.SettleAfterRestartAsync(shippedBefore);
                }
            }

            // Validated.
            if (!await this.validation.ValidateAsync())
            {
                return await this.CancelAsync("Cancelled: the order could not be validated.");
            }

            // PaymentConfirmed; then the order is confirmed to the customer. From here a cancellation gives the money back.
            await this.cancellations.CheckAsync("verify-payment");
            var confirmed = new CustomerNotification(OrderId, Milestone.OrderConfirmed, null);
            var payment = this.state.Payment = await this.payments.VerifyAsync(confirmed);
            if (payment is null)
            {
                return await this.CancelAsync("Cancelled: payment could not be confirmed.", "payment");
            }

            this.compensations.Add(this.RefundOnCancelAsync);
            await this.payments.ConfirmAsync(payment, confirmed);

            // Fraud screening.
            await this.cancellations.CheckAsync("fraud");
            if (!await this.ScreenFraudAsync(payment))
            {
                return await this.CancelAsync("Cancelled after fraud review.");
            }

            // Reserved (or backordered, substituted, lines cancelled). From here a cancellation releases the holds.
            await this.cancellations.CheckAsync("reserve");
            this.compensations.Add(this.ReleaseOnCancelAsync);
            if (!await this.stock.ReserveAsync())
            {
                return await this.CancelAsync("Cancelled: stock could not be reserved.", "out-of-stock");
            }

            // InFulfillment: digital items at once, parcels in parallel, then a wave per backorder fill.
            await this.cancellations.CheckAsync("fulfill");
            var progress = this.state.Progress;
            var shipped = new List<PlannedFulfillment>();
            if (progress.DigitalUnits.Count > 0)
            {
                shipped.Add(await this.fulfillment.DeliverDigitalAsync());
            }

            if (progress.Reservations.Any(r => r.Allocations.Count > 0))
            {
                shipped.AddRange(await this.fulfillment.FulfillWaveAsync(progress.Reservations));
            }

            await this.fulfillment.FulfillBackordersAsync(shipped);
            if (shipped.Count == 0)
            {
                var nothingSupplied = progress.CancelledUnits.Count > 0 && progress.AllPlans.Count == 0;
                return await this.CancelAsync(
                    nothingSupplied ? "Cancelled: no item could be supplied." : "Cancelled: no fulfillment was confirmed.",
                    nothingSupplied ? "out-of-stock" : null);
            }

            // Fulfilled or PartiallyFulfilled: capture, refund what did not ship, release its holds, book the sale.
            await this.payments.CheckAsync("complete");
            return await this.CompleteAsync(payment, shipped);
        }

        /// <summary>Settles what shipped and sets the final status (Fulfilled, or PartiallyFulfilled when units did not ship).</summary>
        private async Task<OrderOutcome> CompleteAsync(PaymentVerification payment, List<PlannedFulfillment> shipped)
        {
            var progress = this.state.Progress;
            this.context.SetCustomStatus("complete");
            var (final, summary) = await this.settlement.CompleteAsync(payment, shipped, unshipped => (
                progress.IsComplete(unshipped) ? OrderStatus.Fulfilled : OrderStatus.PartiallyFulfilled,
                $"{shipped.Count} of {progress.AllPlans.Count} fulfillment(s) shipped"
                + (progress.CancelledUnits.Count > 0 ? $"; cancelled: {CustomerNotification.FormatItems(progress.CancelledUnits.Select(c => (c.Key, c.Value)))}." : ".")));
            return new OrderOutcome(OrderId, final, summary);
        }

        /// <summary>
        /// A restarted run after something shipped: confirms the payment, then settles the recorded shipments (captures
        /// and the sale repeat their idempotency keys, so nothing is charged or booked twice) without labelling, handing
        /// off or emailing again. Units that did not ship count as cancelled (not captured; refunded when paid up front).
        /// </summary>
        private async Task<OrderOutcome> SettleAfterRestartAsync(IReadOnlyList<FulfillmentRecord> shippedBefore)
        {
            var payment = this.state.Payment = await this.payments.VerifyAsync();
            if (payment is null)
            {
                return await this.CancelAsync("Cancelled: payment could not be confirmed.", "payment");
            }

            this.compensations.Add(this.RefundOnCancelAsync);
            var progress = this.state.Progress;
            var shipped = shippedBefore.Select(f => new PlannedFulfillment(f.FulfillmentId, f.Location, f.Lines)).ToList();
            progress.AllPlans.AddRange(shipped);
            progress.AnyShipped = true;
            progress.NextFulfillment = shipped.Count + 1;
            var shippedUnits = shipped.SelectMany(p => p.Lines).GroupBy(l => l.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
            foreach (var (sku, ordered) in this.state.Order.DemandBySku())
            {
                var missing = ordered - shippedUnits.GetValueOrDefault(sku);
                if (missing > 0)
                {
                    progress.CancelUnits(sku, missing);
                }
            }

            // Whatever the stopped run still held for units that will not ship goes back to stock.
            await this.steps.ReleaseAsync(progress.CancelledUnits.Keys.ToList(), "release");
            return await this.CompleteAsync(payment, shipped);
        }

        /// <summary>
        /// A restarted run a person asked to cancel: the normal cancellation (every hold the order may have released,
        /// the payment refunded or voided once per key, the customer told) from whatever the stopped run left.
        /// </summary>
        private async Task<OrderOutcome> CancelAfterRestartAsync(WorkflowRestart restart, RecordedProgress recorded)
        {
            var payment = await this.steps.StepAsync<PaymentVerification>(nameof(VerifyPaymentActivity),
                new VerifyPaymentRequest(OrderId, this.state.Order.PaymentReference, this.state.Order.Totals.Total));
            if (payment.Verified)
            {
                this.state.Payment = payment;
                this.compensations.Add(this.RefundOnCancelAsync);
            }

            var skus = this.state.Order.Lines.Select(l => l.Sku).Concat(recorded.Fulfillments.SelectMany(f => f.Lines).Select(l => l.Sku)).ToList();
            this.compensations.Add(_ => this.steps.ReleaseAsync(skus, "release"));

            // Fulfillments still in flight are stopped: the record tells their location, as a cancellation does.
            foreach (var f in recorded.Fulfillments.Where(f => !RestartPlan.Final.Contains(f.Status)))
            {
                await this.steps.RecordFulfillmentAsync(new PlannedFulfillment(f.FulfillmentId, f.Location, f.Lines), "cancelled", null);
            }

            return await this.CancelAsync($"Cancelled by an operator after the workflow stopped (case {restart.CaseId}).");
        }

        /// <summary>
        /// Screens for fraud (from revision 19 the payment verification did, <see cref="PaymentVerification.Fraud"/>, unless
        /// that failed); a hold becomes a FraudReview case that only Approve lets through.
        /// </summary>
        private async Task<bool> ScreenFraudAsync(PaymentVerification payment)
        {
            this.context.SetCustomStatus("fraud");
            var assessment = payment.Fraud ?? await this.steps.StepAsync<FraudAssessment>(nameof(AssessFraudActivity), new AssessFraudRequest(OrderId, payment.RiskLevel));
            if (!assessment.HoldForReview)
            {
                return true;
            }

            var why = $"Fraud score {assessment.Score}: " + string.Join(" ", assessment.Reasons);
            await this.steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.OnHold, null));
            return await this.steps.EscalateAsync(ExceptionReason.FraudReview, "fraud", why) == CaseResolution.Approve;
        }

        /// <summary>
        /// Cancelled: undoes what the order holds, last first (its stock holds, or, when a cancellation request said not
        /// to restock, writes the held units off; then the money: a refund of what was captured, or a void of the
        /// authorization, unless the request said the money is handled elsewhere), and tells the customer unless the
        /// request said not to.
        /// </summary>
        private async Task<OrderOutcome> CancelAsync(string why, string? reasonCode = null)
        {
            this.state.Cancelling = true;
            this.refundOnCancel = null;
            await this.compensations.RunAsync(why);
            await this.steps.SetStatusAsync(OrderStatus.Cancelled, why);
            if (this.state.Cancellation is not { NotifyCustomer: false })
            {
                var details = new Dictionary<string, string>();
                if (reasonCode is not null)
                {
                    details[CustomerNotification.DetailKeys.Reason] = reasonCode;
                }

                if (this.refundOnCancel is { Succeeded: true, Voided: false })
                {
                    details[CustomerNotification.DetailKeys.Amount] = this.refundOnCancel.Amount.MinorUnits.ToString(CultureInfo.InvariantCulture);
                }

                await this.steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, null, details.Count == 0 ? null : details));
            }

            return new OrderOutcome(OrderId, OrderStatus.Cancelled, why);
        }

        /// <summary>What the cancellation's refund (or void) returned, for the customer's email.</summary>
        private RefundResult? refundOnCancel;

        private async Task RefundOnCancelAsync(string why)
        {
            if (this.state.Cancellation is not { Refund: false })
            {
                this.refundOnCancel = await this.settlement.RefundAsync(this.state.Order.Totals.Total, "cancel", why);
            }
        }

        private async Task ReleaseOnCancelAsync(string why)
        {
            var progress = this.state.Progress;
            var held = progress.Reservations.Where(r => r.Allocations.Count > 0).ToList();
            await this.steps.ReleaseAsync(progress.Reservations.Select(r => r.Sku).Concat(progress.Backorders.Keys), "release");
            if (this.state.Cancellation is { Restock: false })
            {
                foreach (var r in held)
                {
                    foreach (var a in r.Allocations)
                    {
                        await this.steps.Calls.InventoryAsync<StockChangeResult>(this.state.StockKey(r.Sku), nameof(InventoryEntity.Adjust), new AdjustStockRequest(a.Location, -a.Quantity, this.state.Actor, "cancelled-not-restocked", OrderId));
                    }
                }
            }
        }
    }
}
