using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// One instance per order (instance id = order id). Runs the lifecycle of ARCHITECTURE.md in order; every side
/// effect is an activity, every judgment call becomes a case a person resolves.
/// </summary>
public sealed class OrderOrchestrator : TaskOrchestrator<OrderWorkflowInput, OrderOutcome>
{
    public override async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderWorkflowInput input)
    {
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    /// <summary>State of one execution; keeps the step methods small without static helpers taking ten arguments.</summary>
    private sealed class Run(TaskOrchestrationContext context, OrderWorkflowInput input)
    {
        /// <summary>A step a person asked to retry more often than this is cancelled instead (bounded history).</summary>
        private const int MaxRounds = 10;

        private readonly TaskOptions retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: input.Settings.ActivityMaxAttempts,
            firstRetryInterval: input.Settings.ActivityFirstRetryInterval ?? TimeSpan.FromSeconds(5),
            backoffCoefficient: 2.0,
            maxRetryInterval: TimeSpan.FromMinutes(5)));

        private readonly List<ReservationOutcome> reservations = [];
        private OrderSummary order = null!;
        private int caseCount;
        private int openCases;
        private OrderStatus current = OrderStatus.Received;

        /// <summary>The last status outside a hold: where the order resumes once no case holds it.</summary>
        private OrderStatus phase = OrderStatus.Received;

        /// <summary>Completed when a person cancels the order from inside a step: parallel branches stop waiting.</summary>
        private readonly TaskCompletionSource cancelSignal = new();

        /// <summary>Set while <see cref="CancelAsync"/> runs: a step failing then is not turned into another cancellation.</summary>
        private bool cancelling;

        /// <summary>
        /// One wait per relayed payment event, started once at payment verification and consumed once: checkpoints test
        /// <c>IsCompleted</c> (history order, so replay-safe) instead of racing them. A repeated notice stays buffered.
        /// </summary>
        private readonly Dictionary<string, Task<PaymentEventNotice>> paymentNotices = new(StringComparer.Ordinal);

        /// <summary>Payment event types already acted on.</summary>
        private readonly HashSet<string> handledNotices = new(StringComparer.Ordinal);

        /// <summary>Set once a location confirmed a shipment: from then on a payment event no longer holds fulfillment.</summary>
        private bool anyShipped;

        /// <summary>The last payment event checkpoint; parallel branches wait for one that holds the order.</summary>
        private Task? paymentHold;

        private string OrderId => input.OrderId;

        /// <summary>
        /// Runs the lifecycle; a step cancelled from deep inside (an UnhandledStepFailure case resolved as Cancel)
        /// unwinds to here and cancels the order once.
        /// </summary>
        public async Task<OrderOutcome> ExecuteAsync()
        {
            try
            {
                return await ExecuteStepsAsync();
            }
            catch (StepCancelledException ex)
            {
                return await CancelAsync(ex.Message, ex.ReasonCode);
            }
        }

        private async Task<OrderOutcome> ExecuteStepsAsync()
        {
            order = await Step<OrderSummary>(nameof(RecordOrderActivity), input);
            context.CreateReplaySafeLogger<OrderOrchestrator>().LogInformation("Order {OrderId} workflow started", OrderId);

            if (!await ValidateAsync())
            {
                return await CancelAsync("Cancelled: the order could not be validated.");
            }

            var payment = await VerifyPaymentAsync();
            if (payment is null)
            {
                return await CancelAsync("Cancelled: payment could not be confirmed.", "payment");
            }

            await NotifyAsync(new CustomerNotification(OrderId, Milestone.OrderConfirmed, null));

            if (!await ScreenFraudAsync(payment))
            {
                return await CancelAsync("Cancelled after fraud review.");
            }

            if (!await ReserveAsync())
            {
                return await CancelAsync("Cancelled: stock could not be reserved.", "out-of-stock");
            }

            context.SetCustomStatus("fulfill");
            var plans = await Step<IReadOnlyList<PlannedFulfillment>>(nameof(RouteOrderActivity), new RouteOrderRequest(OrderId, reservations));
            await SetStatus(OrderStatus.InFulfillment, $"Handed to {plans.Count} location(s).");

            var shipped = await Task.WhenAll(plans.Select(FulfillAsync));
            var shippedPlans = plans.Where((_, i) => shipped[i] is not null).ToList();
            if (shippedPlans.Count == 0)
            {
                return await CancelAsync("Cancelled: no fulfillment was confirmed.");
            }

            await CheckPaymentEventsAsync("complete");

            context.SetCustomStatus("complete");

            // Goods that did not ship are neither captured nor booked: their value and their share of the tax are withheld.
            var t = order.Totals;
            var notShipped = order.ValueOf(plans.Where((_, i) => shipped[i] is null).SelectMany(p => p.Lines).Select(l => (l.Sku, l.Quantity)));
            var taxNotShipped = new Domain.Common.Money(
                t.Subtotal.MinorUnits == 0 ? 0 : t.Tax.MinorUnits * notShipped.MinorUnits / t.Subtotal.MinorUnits, order.Currency);
            await CaptureAsync(payment, shippedPlans, notShipped + taxNotShipped);
            foreach (var plan in plans.Where((_, i) => shipped[i] is null))
            {
                await ReleaseAsync(plan.Lines.Select(l => l.Sku));
            }

            await Step<string>(nameof(PostSaleActivity), new SaleEntry(
                OrderId, order.OrderNumber, t.Subtotal - notShipped, t.Tax - taxNotShipped, t.Shipping, t.Discount,
                OrderIds.IdempotencyKey(context.InstanceId, "accounting")));

            var final = shippedPlans.Count == plans.Count ? OrderStatus.Fulfilled : OrderStatus.PartiallyFulfilled;
            await SetStatus(final, $"{shippedPlans.Count} of {plans.Count} fulfillment(s) shipped.");
            return new OrderOutcome(OrderId, final, $"{shippedPlans.Count} of {plans.Count} fulfillment(s) shipped.");
        }

        private async Task<bool> ValidateAsync()
        {
            for (var round = 1; round <= MaxRounds; round++)
            {
                context.SetCustomStatus("validate");
                var result = await Step<ValidationResult>(nameof(ValidateOrderActivity), OrderId);
                if (result.IsValid)
                {
                    await SetStatus(OrderStatus.Validated, "Items, quantities, totals and address are valid.");
                    return true;
                }

                var reason = result.OnlyAddressErrors ? ExceptionReason.AddressInvalid : ExceptionReason.OrderInvalid;
                var error = string.Join(" ", result.Errors.Select(e => $"[{e.Field}/{e.Rule}] {e.Message}"));
                var (resolution, decision) = await EscalateForDecisionAsync(reason, "validate", error);
                if (resolution == CaseResolution.CorrectAddress && decision?.CorrectedAddress is { } corrected)
                {
                    // Store the person's address, then validate again (the next round).
                    await Step<bool>(nameof(UpdateShippingAddressActivity), new ShippingAddressCorrection(OrderId, corrected, decision.DecidedBy));
                }
                else if (resolution != CaseResolution.RetryStep && resolution != CaseResolution.CorrectAddress)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>Returns the verified payment, or null when a person (or the deadline) cancelled.</summary>
        private async Task<PaymentVerification?> VerifyPaymentAsync()
        {
            ListenForPaymentEvents();
            for (var round = 1; round <= MaxRounds; round++)
            {
                context.SetCustomStatus("verify-payment");
                var result = await Step<PaymentVerification>(nameof(VerifyPaymentActivity),
                    new VerifyPaymentRequest(OrderId, order.PaymentReference, order.Totals.Total));
                if (result.Verified)
                {
                    await SetStatus(OrderStatus.PaymentConfirmed, $"Payment {result.State} for {result.Amount}.");
                    return result;
                }

                // Still processing, and the provider has since said the intent succeeded: verify once more before escalating.
                if (result.FailureReason?.Contains("processing", StringComparison.OrdinalIgnoreCase) == true
                    && await TakeNoticeAsync(PaymentEvents.PaymentIntentSucceeded) is not null)
                {
                    continue;
                }

                var declined = result.FailureReason?.Contains("declin", StringComparison.OrdinalIgnoreCase) == true;
                await NotifyAsync(new CustomerNotification(
                    OrderId, Milestone.PaymentProblem, null, round.ToString(CultureInfo.InvariantCulture),
                    declined ? new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = "declined" } : null));
                if (await EscalateAsync(ExceptionReason.PaymentFailed, "verify-payment", result.FailureReason ?? $"Payment state {result.State}.") != CaseResolution.RetryStep)
                {
                    return null;
                }
            }

            return null;
        }

        private async Task<bool> ScreenFraudAsync(PaymentVerification payment)
        {
            context.SetCustomStatus("fraud");
            var assessment = await Step<FraudAssessment>(nameof(AssessFraudActivity), new AssessFraudRequest(OrderId, payment.RiskLevel));
            if (!assessment.HoldForReview)
            {
                return true;
            }

            var why = $"Fraud score {assessment.Score}: " + string.Join(" ", assessment.Reasons);
            await NotifyAsync(new CustomerNotification(OrderId, Milestone.OnHold, null));
            return await EscalateAsync(ExceptionReason.FraudReview, "fraud", why) == CaseResolution.Approve;
        }

        private async Task<bool> ReserveAsync()
        {
            for (var round = 1; round <= MaxRounds; round++)
            {
                await CheckPaymentEventsAsync("reserve");
                context.SetCustomStatus("reserve");
                var shortages = await TryReserveAllAsync();
                if (shortages.Count == 0)
                {
                    var held = string.Join(", ", reservations.Select(r => $"{r.Requested} x {r.Sku}"));
                    await SetStatus(OrderStatus.Reserved, $"Stock reserved: {held}.");
                    return true;
                }

                var error = string.Join(" ", shortages.Select(s => $"SKU {s.Sku}: {s.Requested} requested, {s.Available} available."));
                if (await EscalateAsync(ExceptionReason.OutOfStock, "reserve", error) != CaseResolution.RetryStep)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// All-or-nothing reservation inside a critical section over every SKU entity of the order (sorted).
        /// Demand is summed per SKU first, so two lines of one SKU cannot oversell it.
        /// </summary>
        private async Task<IReadOnlyList<ReservationOutcome>> TryReserveAllAsync()
        {
            reservations.Clear();
            var demand = order.DemandBySku().OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
            var ids = demand.Select(d => Inventory(d.Key)).ToArray();
            var expiresAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + input.Settings.ReservationHold;

            await using (await context.Entities.LockEntitiesAsync(ids))
            {
                var shortages = new List<ReservationOutcome>();
                foreach (var (sku, quantity) in demand)
                {
                    var outcome = await context.Entities.CallEntityAsync<ReservationOutcome>(
                        Inventory(sku), nameof(InventoryEntity.Reserve), new ReserveStockRequest(OrderId, quantity, expiresAt));
                    if (outcome.Succeeded)
                    {
                        reservations.Add(outcome);
                    }
                    else
                    {
                        shortages.Add(outcome);
                    }
                }

                if (shortages.Count > 0)
                {
                    // Still inside the lock: nobody observed the partial holds.
                    foreach (var held in reservations)
                    {
                        await context.Entities.CallEntityAsync<int>(Inventory(held.Sku), nameof(InventoryEntity.Release), OrderId);
                    }

                    reservations.Clear();
                }

                return shortages;
            }
        }

        /// <summary>Label, hand-off, wait for the location's confirmation, commit stock, tell the customer.</summary>
        private async Task<ShippingLabel?> FulfillAsync(PlannedFulfillment plan)
        {
            await CheckPaymentEventsAsync($"label-{plan.FulfillmentId}");
            var label = await Step<ShippingLabel>(nameof(BuyLabelActivity), new BuyLabelRequest(OrderId, plan));
            await CheckPaymentEventsAsync($"dispatch-{plan.FulfillmentId}");
            await Step<string>(nameof(DispatchFulfillmentActivity), new FulfillmentDispatch(
                OrderId, plan.FulfillmentId, plan.Location, plan.Lines, label.TrackingNumber, OrderIds.IdempotencyKey(context.InstanceId, $"dispatch-{plan.FulfillmentId}")));
            await RecordFulfillment(plan, "awaiting-confirmation", label);

            if (!await WaitForShipmentAsync(plan))
            {
                await RecordFulfillment(plan, "cancelled", label);
                return null;
            }

            anyShipped = true;

            foreach (var line in plan.Lines)
            {
                await context.Entities.CallEntityAsync<int>(Inventory(line.Sku), nameof(InventoryEntity.Commit), new CommitStockRequest(OrderId, plan.Location));
            }

            await RecordFulfillment(plan, "shipped", label);
            await NotifyAsync(new CustomerNotification(OrderId, Milestone.Shipped, plan.FulfillmentId));
            return label;
        }

        /// <summary>True once the location confirms shipment; false when a person (or the deadline) gave up on it.</summary>
        private async Task<bool> WaitForShipmentAsync(PlannedFulfillment plan)
        {
            var timeout = input.Settings.FulfillmentConfirmationTimeout;
            for (var round = 1; round <= MaxRounds; round++)
            {
                var confirmation = await WaitAsync<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(plan.FulfillmentId), timeout);
                if (confirmation?.Status == FulfillmentConfirmation.Shipped)
                {
                    return true;
                }

                var error = confirmation is null
                    ? $"{plan.FulfillmentId} at {plan.Location} was not confirmed within {timeout}."
                    : $"{plan.FulfillmentId} at {plan.Location} reported {confirmation.Status}: {confirmation.Reason}";
                var reason = confirmation is null ? ExceptionReason.FulfillmentTimeout
                    : confirmation.Status == FulfillmentConfirmation.Rejected ? ExceptionReason.FulfillmentRejected
                    : ExceptionReason.CarrierError;
                if (confirmation is null)
                {
                    await NotifyAsync(new CustomerNotification(
                        OrderId, Milestone.Delayed, plan.FulfillmentId, round.ToString(CultureInfo.InvariantCulture),
                        new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = "fulfillment-late" }));
                }

                if (await EscalateAsync(reason, $"confirm-{plan.FulfillmentId}", error, orderContinuesOnCancel: true) != CaseResolution.RetryStep)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// Auth-then-capture: one capture per shipped fulfillment; the last one takes the remainder (shipping, tax)
        /// less <paramref name="withheld"/>, what is owed for goods that did not ship.
        /// </summary>
        private async Task CaptureAsync(PaymentVerification payment, IReadOnlyList<PlannedFulfillment> shipped, Domain.Common.Money withheld)
        {
            if (payment.State != PaymentState.RequiresCapture || order.PaymentReference is null)
            {
                return;
            }

            var captured = Domain.Common.Money.Zero(order.Currency);
            for (var i = 0; i < shipped.Count; i++)
            {
                var last = i == shipped.Count - 1;
                var amount = last
                    ? order.Totals.Total - captured - withheld
                    : order.ValueOf(shipped[i].Lines.Select(l => (l.Sku, l.Quantity)));
                var result = await Step<CaptureResult>(nameof(CapturePaymentActivity), new CapturePaymentRequest(
                    OrderId, order.PaymentReference, amount, last, OrderIds.IdempotencyKey(context.InstanceId, $"capture-{shipped[i].FulfillmentId}")));
                if (!result.Captured)
                {
                    await EscalateAsync(ExceptionReason.PaymentCaptureFailed, $"capture-{shipped[i].FulfillmentId}", result.FailureReason ?? "Capture failed.", orderContinuesOnCancel: true);
                }

                captured += amount;
            }
        }

        /// <summary>Starts the one wait per relayed payment event (once; events raised earlier are buffered by the engine).</summary>
        private void ListenForPaymentEvents()
        {
            foreach (var type in PaymentEvents.Relayed)
            {
                if (!paymentNotices.ContainsKey(type))
                {
                    paymentNotices[type] = context.WaitForExternalEvent<PaymentEventNotice>(PaymentEvents.EventName(type));
                }
            }
        }

        /// <summary>The notice of <paramref name="type"/> if it has arrived and was not acted on yet (then it is marked handled); never waits.</summary>
        private async Task<PaymentEventNotice?> TakeNoticeAsync(string type)
        {
            if (handledNotices.Contains(type) || !paymentNotices.TryGetValue(type, out var wait) || wait is not { IsCompletedSuccessfully: true })
            {
                return null;
            }

            var notice = await wait;
            if (notice is null)
            {
                return null;
            }

            handledNotices.Add(type);
            return notice;
        }

        /// <summary>
        /// A checkpoint between steps. A refund is noted on the timeline. Before anything shipped, a payment failure
        /// (PaymentFailed case) or a dispute (FraudReview case) holds the order until a person decides: Cancel cancels
        /// the order, anything else goes on. After a shipment a dispute opens a FraudReview case without holding the order.
        /// </summary>
        private async Task CheckPaymentEventsAsync(string step)
        {
            // Parallel fulfillments: while one checkpoint holds the order for a payment event, the others wait for it.
            if (paymentHold is { IsCompleted: false })
            {
                await paymentHold;
            }

            paymentHold = CheckPaymentEventsOnceAsync(step);
            await paymentHold;
        }

        private async Task CheckPaymentEventsOnceAsync(string step)
        {
            if (await TakeNoticeAsync(PaymentEvents.ChargeRefunded) is { } refund)
            {
                await RecordPaymentEvent(refund, "noted");
            }

            if (!anyShipped && await TakeNoticeAsync(PaymentEvents.PaymentIntentPaymentFailed) is { } failed)
            {
                await RecordPaymentEvent(failed, $"fulfillment held at {step}");
                await HoldForPaymentEventAsync(ExceptionReason.PaymentFailed, step, failed, "payment");
            }

            if (await TakeNoticeAsync(PaymentEvents.ChargeDisputeCreated) is { } dispute)
            {
                if (!anyShipped)
                {
                    await RecordPaymentEvent(dispute, $"fulfillment held at {step}");
                    await HoldForPaymentEventAsync(ExceptionReason.FraudReview, step, dispute, null);
                }
                else
                {
                    await RecordPaymentEvent(dispute, "review opened after shipment");
                    caseCount++;
                    var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                    await RawStep<bool>(nameof(OpenCaseActivity), new OpenCaseRequest(
                        $"{OrderId}-dispute-{caseCount}", OrderId, ExceptionReason.FraudReview, "dispute", Describe(dispute),
                        CasePolicy.AllowedResolutions(ExceptionReason.FraudReview), now + input.Settings.CaseDeadline));
                }
            }
        }

        private async Task HoldForPaymentEventAsync(ExceptionReason reason, string step, PaymentEventNotice notice, string? reasonCode)
        {
            if (await EscalateAsync(reason, $"payment-event-{step}", Describe(notice)) == CaseResolution.Cancel)
            {
                cancelSignal.TrySetResult();
                throw new StepCancelledException($"Cancelled after payment event {notice.Type}.", reasonCode);
            }
        }

        private static string Describe(PaymentEventNotice notice) =>
            $"Payment provider reported {notice.Type} ({notice.EventId}){(string.IsNullOrWhiteSpace(notice.Reason) ? "" : ": " + notice.Reason)}.";

        private Task RecordPaymentEvent(PaymentEventNotice notice, string action) =>
            Step<bool>(nameof(RecordPaymentEventActivity), new RecordPaymentEventRequest(OrderId, notice, action));

        private async Task<OrderOutcome> CancelAsync(string why, string? reasonCode = null)
        {
            cancelling = true;
            await ReleaseAsync(reservations.Select(r => r.Sku));
            await SetStatus(OrderStatus.Cancelled, why);
            await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, null,
                reasonCode is null ? null : new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = reasonCode }));
            return new OrderOutcome(OrderId, OrderStatus.Cancelled, why);
        }

        /// <summary>
        /// Sends a customer message (once per key, through the outbox). When it still fails after the retries (hard
        /// bounce, SMTP down for good) a NotificationFailed case tells a person to reach the customer another way;
        /// the order itself goes on, since an email must never hold goods back.
        /// </summary>
        private async Task NotifyAsync(CustomerNotification notification)
        {
            try
            {
                await RawStep<bool>(nameof(NotifyCustomerActivity), notification);
            }
            catch (TaskFailedException ex)
            {
                caseCount++;
                var caseId = $"{OrderId}-notify-{caseCount}";
                var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                await RawStep<bool>(nameof(OpenCaseActivity), new OpenCaseRequest(
                    caseId, OrderId, ExceptionReason.NotificationFailed, $"notify-{notification.Milestone}",
                    $"The {notification.Milestone} email ({notification.Key}) could not be delivered: {ex.FailureDetails.ErrorMessage}",
                    CasePolicy.AllowedResolutions(ExceptionReason.NotificationFailed), now + input.Settings.CaseDeadline));
            }
        }

        private async Task ReleaseAsync(IEnumerable<string> skus)
        {
            foreach (var sku in skus.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await context.Entities.CallEntityAsync<int>(Inventory(sku), nameof(InventoryEntity.Release), OrderId);
            }
        }

        /// <summary>
        /// Opens a case (durably, before alerting), puts the order on hold and waits for a person's decision.
        /// At the deadline the reason's declared default applies. The order leaves the hold when the last open case
        /// is resolved and the order goes on: any resolution but Cancel, or also Cancel when
        /// <paramref name="orderContinuesOnCancel"/> (the case drops one fulfillment or capture, not the order).
        /// </summary>
        private async Task<CaseResolution> EscalateAsync(ExceptionReason reason, string step, string error, bool orderContinuesOnCancel = false) =>
            (await EscalateForDecisionAsync(reason, step, error, orderContinuesOnCancel)).Resolution;

        /// <summary>
        /// <see cref="EscalateAsync"/> that also returns the person's decision (null when the deadline's default applied),
        /// for steps that need what the decision carries (a corrected address).
        /// </summary>
        private async Task<(CaseResolution Resolution, CaseDecision? Decision)> EscalateForDecisionAsync(
            ExceptionReason reason, string step, string error, bool orderContinuesOnCancel = false)
        {
            caseCount++;
            openCases++;
            var caseId = $"{OrderId}-{step}-{caseCount}";
            var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            await RawStep<bool>(nameof(OpenCaseActivity), new OpenCaseRequest(
                caseId, OrderId, reason, step, error, CasePolicy.AllowedResolutions(reason), now + input.Settings.CaseDeadline));
            await SetStatus(OrderStatus.OnHold, $"On hold: {reason} (case {caseId}).", guarded: false);
            context.SetCustomStatus($"on-hold:{caseId}");
            var logger = context.CreateReplaySafeLogger<OrderOrchestrator>();
            logger.LogWarning("Order {OrderId} escalated as {Reason} in case {CaseId}", OrderId, reason, caseId);

            var decision = await WaitForDecisionAsync(caseId);
            var resolution = decision?.Resolution ?? CasePolicy.DefaultOnTimeout(reason);
            if (decision is null)
            {
                await RawStep<bool>(nameof(RecordCaseTimeoutActivity), new CaseTimeout(caseId, OrderId, resolution));
            }

            openCases--;

            // Parallel fulfillments can hold the order together: resume from the last case only, and to the phase
            // before the first hold (not to OnHold, which is what a second concurrent case saw as "current").
            var orderGoesOn = resolution != CaseResolution.Cancel || orderContinuesOnCancel;
            if (orderGoesOn && openCases == 0 && current == OrderStatus.OnHold && OrderStatusMachine.CanTransition(OrderStatus.OnHold, phase))
            {
                await SetStatus(phase, $"Resumed after case {caseId}: {resolution}.", guarded: false);
            }

            logger.LogInformation("Order {OrderId} case {CaseId} resolved as {Resolution}", OrderId, caseId, resolution);
            return (resolution, decision);
        }

        /// <summary>
        /// Waits for a person's decision in two stages: at the first deadline the next tier is reminded, at the last one
        /// null is returned (the caller applies the reason's default). An event raised during the reminder is buffered
        /// by the engine and picked up by the second wait.
        /// </summary>
        private async Task<CaseDecision?> WaitForDecisionAsync(string caseId)
        {
            var eventName = CaseDecision.EventName(caseId);
            var deadlineAt = context.CurrentUtcDateTime.Add(input.Settings.CaseDeadline);
            var reminderAfter = input.Settings.EffectiveCaseReminderAfter;
            var decision = await WaitAsync<CaseDecision>(eventName, reminderAfter);
            if (decision is not null)
            {
                return decision;
            }

            await RawStep<bool>(nameof(SendCaseReminderActivity), new CaseReminder(caseId, OrderId));
            var remaining = deadlineAt - context.CurrentUtcDateTime;
            return await WaitAsync<CaseDecision>(eventName, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        /// <summary>Waits for an external event or the timeout; null means the deadline passed.</summary>
        private async Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout)
            where T : class
        {
            using var cts = new CancellationTokenSource();
            var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), cts.Token);
            var evt = context.WaitForExternalEvent<T>(eventName, cts.Token);

            // While the order is being cancelled, waits (for a decision on a failed cancellation step) ignore the signal.
            var winner = cancelling
                ? await Task.WhenAny(evt, deadline)
                : await Task.WhenAny(evt, deadline, cancelSignal.Task);

            // Synchronous Cancel on purpose: CancelAsync would resume this orchestrator on a thread-pool thread,
            // outside the engine's replay scheduler, and the workflow would silently stop making progress.
            cts.Cancel();
            if (winner == cancelSignal.Task)
            {
                throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
            }

            return winner == evt ? await evt : null;
        }

        private Task RecordFulfillment(PlannedFulfillment plan, string status, ShippingLabel? label) =>
            Step<bool>(nameof(RecordFulfillmentActivity), new FulfillmentUpdate(OrderId, plan.FulfillmentId, plan.Location, plan.Lines, status, label));

        private Task SetStatus(OrderStatus status, string note, bool guarded = true)
        {
            current = status;
            if (status != OrderStatus.OnHold)
            {
                phase = status;
            }

            var change = new StatusChange(OrderId, status, note);
            return guarded ? Step<bool>(nameof(UpdateOrderStatusActivity), change) : RawStep<bool>(nameof(UpdateOrderStatusActivity), change);
        }

        /// <summary>
        /// Runs an activity under the durable retry policy. When it still fails after the retries, an UnhandledStepFailure
        /// case (step = activity name) asks a person: RetryStep runs it again, Cancel cancels the order (unwinding to
        /// <see cref="ExecuteAsync"/>). Bounded: after <see cref="MaxRounds"/> cases the order is cancelled. A step of the
        /// cancellation itself that a person gives up on fails the workflow.
        /// </summary>
        private async Task<T> Step<T>(string activity, object activityInput)
        {
            for (var round = 1; ; round++)
            {
                if (!cancelling && cancelSignal.Task.IsCompleted)
                {
                    throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
                }

                try
                {
                    return await RawStep<T>(activity, activityInput);
                }
                catch (TaskFailedException ex)
                {
                    var error = ex.FailureDetails?.ErrorMessage ?? ex.Message;
                    var resolution = round < MaxRounds
                        ? await EscalateAsync(ExceptionReason.UnhandledStepFailure, activity, error)
                        : CaseResolution.Cancel;
                    if (resolution == CaseResolution.RetryStep)
                    {
                        continue;
                    }

                    if (cancelling)
                    {
                        throw;
                    }

                    cancelSignal.TrySetResult();
                    throw new StepCancelledException($"Cancelled: step {activity} failed ({error}).");
                }
            }
        }

        /// <summary>An activity under the retry policy only: for the case machinery itself and steps that handle failures.</summary>
        private Task<T> RawStep<T>(string activity, object activityInput) =>
            context.CallActivityAsync<T>(activity, activityInput, retry);

        private static EntityInstanceId Inventory(string sku) => new(nameof(InventoryEntity), sku);
    }

    /// <summary>A person cancelled the order from inside a step; caught once, in <c>ExecuteAsync</c>.</summary>
    private sealed class StepCancelledException(string message, string? reasonCode = null) : Exception(message)
    {
        public string? ReasonCode { get; } = reasonCode;
    }
}
