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
using OrderFlow.Workflows.Options;

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

        private readonly TaskOptions retry = ActivityRetry.For(input.Settings);

        private readonly List<ReservationOutcome> reservations = [];

        /// <summary>Order SKU -> the SKU reserved and shipped in its place (Substitute policy).</summary>
        private readonly Dictionary<string, string> substitutions = new(StringComparer.Ordinal);

        /// <summary>Units per SKU still waiting for stock (Backorder policy); filled through BackorderFilled events.</summary>
        private readonly Dictionary<string, int> backorders = new(StringComparer.Ordinal);

        /// <summary>Digital units per SKU: no stock, no shipment; delivered by the catalog's download page.</summary>
        private readonly Dictionary<string, int> digitalUnits = new(StringComparer.Ordinal);

        /// <summary>Units per SKU that will not ship: lines cancelled by the Cancel policy or after a backorder gave up.</summary>
        private readonly Dictionary<string, int> cancelledUnits = new(StringComparer.Ordinal);

        /// <summary>Out-of-stock policy per order SKU, read once before the first reservation.</summary>
        private Dictionary<string, StockPolicy> policies = new(StringComparer.Ordinal);

        /// <summary>Every fulfillment planned so far, over all waves (the first shipment and each backorder wave).</summary>
        private readonly List<PlannedFulfillment> allPlans = [];

        /// <summary>What auth-then-capture took so far, and from which fulfillments (each is captured once).</summary>
        private Domain.Common.Money capturedSoFar;

        private readonly HashSet<string> capturedFulfillments = new(StringComparer.Ordinal);

        /// <summary>The number the next planned fulfillment gets; taken synchronously, so parallel re-routes never share one.</summary>
        private int nextFulfillment = 1;

        /// <summary>The verified payment (null until verified): what a cancellation refunds or voids.</summary>
        private PaymentVerification? payment;

        /// <summary>The wait for the next cancellation request; replaced after each one is taken.</summary>
        private Task<CancelOrderRequest>? cancelWait;

        /// <summary>The whole-order cancellation being carried out (its restock/refund/notify choices), if any.</summary>
        private CancelOrderRequest? cancellation;

        /// <summary>Cancellation request ids already applied.</summary>
        private readonly HashSet<string> handledCancelRequests = new(StringComparer.Ordinal);

        /// <summary>Units per order SKU a line cancellation removed before they were reserved.</summary>
        private readonly Dictionary<string, int> linesCancelledEarly = new(StringComparer.Ordinal);

        /// <summary>Completed when a whole-order cancellation arrives after something shipped: unshipped fulfillments stop.</summary>
        private readonly TaskCompletionSource stopSignal = new();

        /// <summary>Why the order is being cancelled, for the unwinding in <see cref="ExecuteAsync"/>.</summary>
        private (string Message, string? ReasonCode)? cancelCause;
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
                var (message, code) = cancelCause ?? (ex.Message, ex.ReasonCode);
                return await CancelAsync(message, code);
            }
        }

        private async Task<OrderOutcome> ExecuteStepsAsync()
        {
            order = await Step<OrderSummary>(nameof(RecordOrderActivity), input);
            context.CreateReplaySafeLogger<OrderOrchestrator>().LogInformation("Order {OrderId} workflow started", OrderId);
            cancelWait = context.WaitForExternalEvent<CancelOrderRequest>(CancelOrderRequest.EventName);
            capturedSoFar = Domain.Common.Money.Zero(order.Currency);

            if (!await ValidateAsync())
            {
                return await CancelAsync("Cancelled: the order could not be validated.");
            }

            await CheckCancellationAsync("verify-payment");
            payment = await VerifyPaymentAsync();
            if (payment is null)
            {
                return await CancelAsync("Cancelled: payment could not be confirmed.", "payment");
            }

            await NotifyAsync(new CustomerNotification(OrderId, Milestone.OrderConfirmed, null));

            await CheckCancellationAsync("fraud");
            if (!await ScreenFraudAsync(payment))
            {
                return await CancelAsync("Cancelled after fraud review.");
            }

            await CheckCancellationAsync("reserve");
            if (!await ReserveAsync())
            {
                return await CancelAsync("Cancelled: stock could not be reserved.", "out-of-stock");
            }

            await CheckCancellationAsync("fulfill");
            var shipped = new List<PlannedFulfillment>();
            if (digitalUnits.Count > 0)
            {
                shipped.Add(await DeliverDigitalAsync());
            }

            if (reservations.Any(r => r.Allocations.Count > 0))
            {
                shipped.AddRange(await FulfillWaveAsync(reservations));
            }

            await FulfillBackordersAsync(shipped);
            if (shipped.Count == 0)
            {
                return await CancelAsync(cancelledUnits.Count > 0 && allPlans.Count == 0
                    ? "Cancelled: no item could be supplied."
                    : "Cancelled: no fulfillment was confirmed.", cancelledUnits.Count > 0 && allPlans.Count == 0 ? "out-of-stock" : null);
            }

            await CheckPaymentEventsAsync("complete");

            context.SetCustomStatus("complete");

            // Goods that did not ship (unconfirmed fulfillments, cancelled lines) are neither captured nor booked: their
            // value and their share of the tax are withheld. Substitutes are charged at the ordered item's price.
            var t = order.Totals;
            var unshippedPlans = allPlans.Where(p => !shipped.Contains(p)).ToList();
            var notShipped = order.ValueOf(unshippedPlans.SelectMany(p => p.Lines).Select(l => (OrderSku(l.Sku), l.Quantity))
                .Concat(cancelledUnits.Select(c => (c.Key, c.Value))));
            var taxNotShipped = new Domain.Common.Money(
                t.Subtotal.MinorUnits == 0 ? 0 : t.Tax.MinorUnits * notShipped.MinorUnits / t.Subtotal.MinorUnits, order.Currency);
            await CaptureAsync(payment, shipped, notShipped + taxNotShipped);
            RefundResult? refundedRemainder = null;
            if (payment.State == PaymentState.Succeeded && (notShipped + taxNotShipped).MinorUnits > 0 && cancellation is not { Refund: false })
            {
                // Paid up front: what will not ship goes back to the customer.
                refundedRemainder = await RefundAsync(notShipped + taxNotShipped, "not-shipped", "items that did not ship");
            }

            if (cancellation is { NotifyCustomer: true } && unshippedPlans.Count > 0)
            {
                var details = new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(unshippedPlans.SelectMany(p => p.Lines).Select(l => (OrderSku(l.Sku), l.Quantity))),
                };
                if (refundedRemainder is { Succeeded: true })
                {
                    details[CustomerNotification.DetailKeys.Amount] = refundedRemainder.Amount.MinorUnits.ToString(CultureInfo.InvariantCulture);
                }

                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "remainder", details));
            }

            await ReleaseAsync(unshippedPlans.SelectMany(p => p.Lines).Select(l => l.Sku), "release");

            await Step<string>(nameof(PostSaleActivity), new SaleEntry(
                OrderId, order.OrderNumber, t.Subtotal - notShipped, t.Tax - taxNotShipped, t.Shipping, t.Discount,
                OrderIds.IdempotencyKey(context.InstanceId, "accounting")));

            var complete = unshippedPlans.Count == 0 && cancelledUnits.Count == 0;
            var final = complete ? OrderStatus.Fulfilled : OrderStatus.PartiallyFulfilled;
            var summary = $"{shipped.Count} of {allPlans.Count} fulfillment(s) shipped"
                + (cancelledUnits.Count > 0 ? $"; cancelled: {CustomerNotification.FormatItems(cancelledUnits.Select(c => (c.Key, c.Value)))}." : ".");
            await SetStatus(final, summary);
            return new OrderOutcome(OrderId, final, summary);
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
            var skus = order.DemandBySku().Keys.Order(StringComparer.Ordinal).ToList();
            var read = await Step<IReadOnlyList<StockPolicy>>(nameof(GetStockPoliciesActivity), skus);
            policies = read.ToDictionary(p => p.Sku, StringComparer.Ordinal);
            for (var round = 1; round <= MaxRounds; round++)
            {
                await CheckPaymentEventsAsync("reserve");
                context.SetCustomStatus("reserve");
                var shortages = await TryReserveAllAsync();
                if (shortages.Count == 0)
                {
                    await AnnounceReservationAsync();
                    return reservations.Count > 0 || backorders.Count > 0 || digitalUnits.Count > 0;
                }

                var error = string.Join(" ", shortages.Select(s => $"SKU {s.Sku}: {s.Requested} requested, {s.Available} available."));
                if (await EscalateAsync(ExceptionReason.OutOfStock, "reserve", error) != CaseResolution.RetryStep)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>Timeline, status and customer emails for what the reservation decided per SKU.</summary>
        private async Task AnnounceReservationAsync()
        {
            var parts = new List<string>();
            if (reservations.Count > 0)
            {
                parts.Add("reserved " + string.Join(", ", reservations.Where(r => r.ReservedQuantity > 0).Select(r => $"{r.ReservedQuantity} x {r.Sku}")));
            }

            if (digitalUnits.Count > 0)
            {
                parts.Add("digital (no stock) " + string.Join(", ", digitalUnits.Select(d => $"{d.Value} x {d.Key}")));
            }

            if (substitutions.Count > 0)
            {
                parts.Add("substituted " + string.Join(", ", substitutions.Select(x => $"{x.Key} -> {x.Value}")));
            }

            if (backorders.Count > 0)
            {
                parts.Add("backordered " + string.Join(", ", backorders.Select(b => $"{b.Value} x {b.Key}")));
            }

            // Lines the Cancel policy dropped (lines a person cancelled earlier were announced with their request).
            var outOfStock = cancelledUnits
                .Select(c => (Sku: c.Key, Units: c.Value - linesCancelledEarly.GetValueOrDefault(c.Key)))
                .Where(c => c.Units > 0)
                .ToList();
            if (outOfStock.Count > 0)
            {
                parts.Add("cancelled (out of stock) " + string.Join(", ", outOfStock.Select(c => $"{c.Units} x {c.Sku}")));
            }

            await SetStatus(OrderStatus.Reserved, $"Stock: {string.Join("; ", parts)}.");

            foreach (var (from, to) in substitutions.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Substituted, null, from, new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems([(from, order.DemandBySku()[from])]),
                    [CustomerNotification.DetailKeys.SubstituteTitle] = to,
                    [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
                }));
            }

            if (backorders.Count > 0)
            {
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Backordered, null, null, new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(backorders.Select(b => (b.Key, b.Value))),
                }));
            }

            if (outOfStock.Count > 0 && (reservations.Count > 0 || backorders.Count > 0))
            {
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "lines", new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(outOfStock),
                    [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
                }));
            }
        }

        /// <summary>
        /// Reservation inside a critical section over every SKU entity the order may touch (its SKUs and their
        /// substitutes, sorted). Demand is summed per SKU first, so two lines of one SKU cannot oversell it. Per SKU the
        /// policy decides what a shortage means: Backorder reserves what exists and queues the rest, Substitute reserves
        /// the substitute, Cancel drops the line, Escalate (and a failed substitute) is a shortage: then every hold is
        /// released before anyone sees it and the shortages are returned (all or nothing).
        /// </summary>
        private async Task<IReadOnlyList<ReservationOutcome>> TryReserveAllAsync()
        {
            ResetReservation();

            // What is still wanted after early line cancellations; digital units need no stock.
            var wanted = order.DemandBySku()
                .Select(d => new KeyValuePair<string, int>(d.Key, d.Value - linesCancelledEarly.GetValueOrDefault(d.Key)))
                .Where(d => d.Value > 0)
                .OrderBy(d => d.Key, StringComparer.Ordinal)
                .ToList();
            digitalUnits.Clear();
            foreach (var (sku, units) in wanted.Where(d => Policy(d.Key).Digital))
            {
                digitalUnits[sku] = units;
            }

            var demand = wanted.Where(d => !Policy(d.Key).Digital).ToList();

            var lockSkus = demand.Select(d => d.Key)
                .Concat(demand.Select(d => Policy(d.Key)).Where(p => p.Policy == OutOfStockPolicies.Substitute && p.SubstituteSku is not null).Select(p => p.SubstituteSku!))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var expiresAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + input.Settings.ReservationHold;
            var shortages = new List<ReservationOutcome>();
            var alerts = new List<LowStockAlert>();

            if (demand.Count == 0)
            {
                return shortages;
            }

            await using (await context.Entities.LockEntitiesAsync(lockSkus.Select(Inventory).ToArray()))
            {
                // Routing decides where each SKU comes from (one location when possible, fewest shipments), on the
                // availability read inside the lock; the reservation then holds exactly that allocation.
                var stock = new List<StockView>(demand.Count);
                foreach (var (sku, _) in demand)
                {
                    stock.Add(await InventoryCall<StockView>(sku, nameof(InventoryEntity.Get), null));
                }

                var routed = await Step<AllocationDecision>(nameof(PlanAllocationActivity), AllocationRequest.FromStock(OrderId, demand.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), stock));
                var preferred = routed.StockAllocationsBySku();

                foreach (var (sku, quantity) in demand)
                {
                    var policy = Policy(sku);
                    var outcome = await InventoryCall<ReservationOutcome>(sku, nameof(InventoryEntity.Reserve),
                        new ReserveStockRequest(OrderId, quantity, expiresAt, policy.Policy == OutOfStockPolicies.Backorder, preferred.GetValueOrDefault(sku)));
                    Collect(outcome, alerts);
                    if (outcome.Succeeded)
                    {
                        reservations.Add(outcome);
                        if (outcome.Backordered > 0)
                        {
                            backorders[sku] = outcome.Backordered;
                        }

                        continue;
                    }

                    if (policy.Policy == OutOfStockPolicies.Substitute && policy.SubstituteSku is { } substitute && !order.DemandBySku().ContainsKey(substitute))
                    {
                        var replaced = await InventoryCall<ReservationOutcome>(substitute, nameof(InventoryEntity.Reserve), new ReserveStockRequest(OrderId, quantity, expiresAt));
                        Collect(replaced, alerts);
                        if (replaced.Succeeded)
                        {
                            reservations.Add(replaced);
                            substitutions[sku] = substitute;
                            continue;
                        }
                    }

                    if (policy.Policy == OutOfStockPolicies.Cancel)
                    {
                        cancelledUnits[sku] = quantity;
                        continue;
                    }

                    shortages.Add(outcome);
                }

                if (shortages.Count > 0)
                {
                    // Still inside the lock: nobody observed the partial holds or queue places.
                    foreach (var held in reservations)
                    {
                        await InventoryCall<StockRelease>(held.Sku, nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, StockReasons.Release, Actor));
                    }

                    ResetReservation();
                }
            }

            foreach (var alert in alerts)
            {
                await StockEvents.AfterChangeAsync(context, alert.Sku, [], alert, retry);
            }

            return shortages;
        }

        /// <summary>Forgets what a reservation attempt decided; only the lines a person cancelled early stay cancelled.</summary>
        private void ResetReservation()
        {
            reservations.Clear();
            substitutions.Clear();
            backorders.Clear();
            cancelledUnits.Clear();
            foreach (var (sku, units) in linesCancelledEarly)
            {
                cancelledUnits[sku] = units;
            }
        }

        private static void Collect(ReservationOutcome outcome, List<LowStockAlert> alerts)
        {
            if (outcome.LowStock is { } alert)
            {
                alerts.Add(alert);
            }
        }

        private StockPolicy Policy(string sku) =>
            policies.TryGetValue(sku, out var policy) ? policy : new StockPolicy(sku, OutOfStockPolicies.Escalate, null);

        /// <summary>The order's SKU a shipped SKU stands for (itself, or the SKU it substitutes).</summary>
        private string OrderSku(string sku) => substitutions.FirstOrDefault(x => x.Value == sku).Key ?? sku;

        /// <summary>Routes reserved units into fulfillments (numbered after earlier waves) and ships them; returns the confirmed ones.</summary>
        private async Task<List<PlannedFulfillment>> FulfillWaveAsync(IReadOnlyList<ReservationOutcome> parts)
        {
            context.SetCustomStatus("fulfill");
            var plans = await PlanAsync(parts);
            await SetStatus(OrderStatus.InFulfillment, $"Handed to {plans.Count} location(s).");
            var shipped = await Task.WhenAll(plans.Select(p => FulfillAsync(p, 1)));
            return shipped.SelectMany(x => x).ToList();
        }

        /// <summary>
        /// Waits for backordered units: the SKU entities reserve arriving stock for the oldest waiting orders and their
        /// workflows get a BackorderFilled event per fill. When every backordered SKU is complete, the filled units
        /// ship as one more wave. Past Inventory:BackorderMaxWait an OutOfStock case asks a person: RetryStep waits
        /// again, Cancel gives up the missing units (what was filled still ships). Bounded: each round consumes one
        /// fill (at least one unit) or one case.
        /// </summary>
        private async Task FulfillBackordersAsync(List<PlannedFulfillment> shipped)
        {
            if (backorders.Count == 0)
            {
                return;
            }

            await SetStatus(shipped.Count > 0 ? OrderStatus.PartiallyFulfilled : OrderStatus.Backordered,
                "Waiting for backordered units: " + string.Join(", ", backorders.Select(b => $"{b.Value} x {b.Key}")) + ".");
            if (payment is not null && shipped.Count > 0)
            {
                // What already shipped is captured now: the authorization may expire before the backorder fills.
                await CaptureAsync(payment, shipped, Domain.Common.Money.Zero(order.Currency), final: false);
            }

            context.SetCustomStatus("backordered");
            var filled = new Dictionary<string, List<StockAllocation>>(StringComparer.Ordinal);
            var waits = backorders.Keys.ToDictionary(sku => sku, sku => context.WaitForExternalEvent<BackorderFill>(StockEvents.BackorderFilled(sku)), StringComparer.Ordinal);
            var deadline = context.CurrentUtcDateTime.Add(input.Settings.BackorderMaxWait);
            var maxRounds = backorders.Values.Sum() + MaxRounds;
            for (var round = 0; round < maxRounds && backorders.Count > 0; round++)
            {
                using var cts = new CancellationTokenSource();
                var timer = context.CreateTimer(deadline, cts.Token);
                var pending = backorders.Keys.Select(sku => (Task)waits[sku]).Append(timer).ToList();
                var winner = await Task.WhenAny(pending);
                cts.Cancel();
                if (winner != timer)
                {
                    var sku = backorders.Keys.First(k => waits[k] == winner);
                    var fill = await waits[sku];
                    if (!filled.TryGetValue(sku, out var held))
                    {
                        held = [];
                        filled[sku] = held;
                    }

                    held.AddRange(fill.Allocations);
                    if (fill.Remaining > 0)
                    {
                        backorders[sku] = fill.Remaining;
                        waits[sku] = context.WaitForExternalEvent<BackorderFill>(StockEvents.BackorderFilled(sku));
                    }
                    else
                    {
                        backorders.Remove(sku);
                    }

                    continue;
                }

                var missing = string.Join(" ", backorders.Select(b => $"SKU {b.Key}: {b.Value} still backordered."));
                if (await EscalateAsync(ExceptionReason.OutOfStock, "backorder", missing, orderContinuesOnCancel: true) == CaseResolution.RetryStep)
                {
                    deadline = context.CurrentUtcDateTime.Add(input.Settings.BackorderMaxWait);
                    continue;
                }

                // Give up the missing units: leave the queues, keep (and ship) what was filled.
                foreach (var (sku, units) in backorders.ToList())
                {
                    cancelledUnits[OrderSku(sku)] = cancelledUnits.GetValueOrDefault(OrderSku(sku)) + units;
                    await InventoryCall<StockRelease>(sku, nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, StockReasons.Release, Actor));
                    filled.Remove(sku);
                }

                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "backorder", new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(backorders.Select(b => (OrderSku(b.Key), b.Value))),
                    [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
                }));
                backorders.Clear();
            }

            if (filled.Count > 0)
            {
                var parts = filled.Select(f => new ReservationOutcome(f.Key, true, f.Value.Sum(a => a.Quantity), 0,
                    f.Value.GroupBy(a => a.Location, StringComparer.Ordinal).Select(g => new StockAllocation(g.Key, g.Sum(a => a.Quantity))).ToList())).ToList();
                shipped.AddRange(await FulfillWaveAsync(parts));
            }
        }

        /// <summary>
        /// Digital items need no stock and no shipment: one fulfillment "delivered" at once, and an email per product with
        /// the catalog's download page. It counts as shipped (captured and booked like a parcel).
        /// </summary>
        private async Task<PlannedFulfillment> DeliverDigitalAsync()
        {
            var plan = new PlannedFulfillment(
                OrderIds.Fulfillment(OrderId, nextFulfillment++),
                DigitalLocation,
                digitalUnits.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new FulfillmentLine(d.Key, d.Value)).ToList(),
                FulfillmentMethod.DigitalDelivery,
                LocationKind.Digital);
            allPlans.Add(plan);
            anyShipped = true;
            if (current == OrderStatus.Reserved)
            {
                await SetStatus(OrderStatus.InFulfillment, "Digital items delivered.");
            }

            await RecordFulfillment(plan, "delivered", null);
            foreach (var line in plan.Lines)
            {
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Delivered, plan.FulfillmentId, line.Sku, new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems([(line.Sku, line.Quantity)]),
                    [CustomerNotification.DetailKeys.DownloadUrl] = Policy(line.Sku).DownloadUrl ?? string.Empty,
                }));
            }

            return plan;
        }

        /// <summary>Routes reserved units into fulfillments, numbered after every earlier one (the numbers are taken before any await).</summary>
        private async Task<IReadOnlyList<PlannedFulfillment>> PlanAsync(IReadOnlyList<ReservationOutcome> parts)
        {
            var first = nextFulfillment;
            nextFulfillment += parts.SelectMany(p => p.Allocations).Select(a => a.Location).Distinct(StringComparer.Ordinal).Count();
            var plans = await Step<IReadOnlyList<PlannedFulfillment>>(nameof(RouteOrderActivity), new RouteOrderRequest(OrderId, parts, first));
            allPlans.AddRange(plans);
            return plans;
        }

        /// <summary>
        /// Label, hand-off, wait for the location's confirmation, commit stock, tell the customer. Returns the fulfillments
        /// that shipped: this one (or the part of it that shipped) and those its rejected or short units were re-routed to.
        /// </summary>
        private async Task<List<PlannedFulfillment>> FulfillAsync(PlannedFulfillment plan, int depth)
        {
            await CheckCancellationAsync($"label-{plan.FulfillmentId}");
            if (stopSignal.Task.IsCompleted)
            {
                await RecordFulfillment(plan, "cancelled", null);
                return [];
            }

            await CheckPaymentEventsAsync($"label-{plan.FulfillmentId}");
            var label = await BuyLabelAsync(plan);
            if (label is null)
            {
                await RecordFulfillment(plan, "cancelled", null);
                return [];
            }

            await CheckPaymentEventsAsync($"dispatch-{plan.FulfillmentId}");
            await Step<string>(nameof(DispatchFulfillmentActivity), new FulfillmentDispatch(
                OrderId, plan.FulfillmentId, plan.Location, plan.Lines, label.TrackingNumber, OrderIds.IdempotencyKey(context.InstanceId, $"dispatch-{plan.FulfillmentId}")));
            await RecordFulfillment(plan, "awaiting-confirmation", label);

            var result = await WaitForShipmentAsync(plan, label, depth);
            var shipped = new List<PlannedFulfillment>();
            if (result.Shipped is { } part)
            {
                anyShipped = true;
                foreach (var line in part.Lines)
                {
                    await InventoryCall<int>(line.Sku, nameof(InventoryEntity.Commit), new CommitStockRequest(OrderId, part.Location, part.FulfillmentId, line.Quantity));
                }

                await RecordFulfillment(part, "shipped", label);
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Shipped, part.FulfillmentId));
                shipped.Add(part);
            }
            else
            {
                await RecordFulfillment(plan, result.Rerouted.Count > 0 ? "rerouted" : "cancelled", label);
            }

            var more = await Task.WhenAll(result.Rerouted.Select(p => FulfillAsync(p, depth + 1)));
            shipped.AddRange(more.SelectMany(x => x));
            return shipped;
        }

        /// <summary>What a location's answer left: the part that shipped (null: nothing), and fulfillments elsewhere for units it could not ship.</summary>
        private sealed record ShipmentResult(PlannedFulfillment? Shipped, IReadOnlyList<PlannedFulfillment> Rerouted);

        /// <summary>
        /// Moves units a location rejected or could not pick to other locations that have them (the SKU entity moves the
        /// reservation atomically) and plans fulfillments there. Returns those plans and the lines nobody else can supply.
        /// </summary>
        private async Task<(IReadOnlyList<PlannedFulfillment> Plans, IReadOnlyList<FulfillmentLine> Unmoved)> RerouteAsync(PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines)
        {
            var moved = new List<ReservationOutcome>();
            var unmoved = new List<FulfillmentLine>();
            foreach (var line in lines)
            {
                var outcome = await InventoryCall<ReservationOutcome>(line.Sku, nameof(InventoryEntity.Reroute), new RerouteStockRequest(OrderId, plan.Location, line.Quantity));
                if (outcome.Succeeded)
                {
                    moved.Add(outcome);
                }
                else
                {
                    unmoved.Add(line);
                }
            }

            return (moved.Count == 0 ? [] : await PlanAsync(moved), unmoved);
        }

        /// <summary>
        /// Buys the fulfillment's label. When the carrier refuses the ship-to address an AddressInvalid case asks a
        /// person: CorrectAddress stores the new address and buys again (new idempotency key), RetryStep buys again as
        /// is, Cancel drops this fulfillment (null). Bounded by <see cref="MaxRounds"/>.
        /// </summary>
        private async Task<ShippingLabel?> BuyLabelAsync(PlannedFulfillment plan)
        {
            for (var attempt = 1; attempt <= MaxRounds; attempt++)
            {
                var outcome = await Step<LabelOutcome>(nameof(BuyLabelActivity), new BuyLabelRequest(OrderId, plan, attempt));
                if (outcome.Label is { } label)
                {
                    return label;
                }

                await RecordFulfillment(plan, "on-hold", null, ExceptionReason.AddressInvalid);
                var (resolution, decision) = await EscalateForDecisionAsync(
                    ExceptionReason.AddressInvalid, $"label-{plan.FulfillmentId}", $"The carrier refused the ship-to address: {outcome.AddressError}", orderContinuesOnCancel: true);
                if (resolution == CaseResolution.CorrectAddress && decision?.CorrectedAddress is { } corrected)
                {
                    await Step<bool>(nameof(UpdateShippingAddressActivity), new ShippingAddressCorrection(OrderId, corrected, decision.DecidedBy));
                }
                else if (resolution != CaseResolution.RetryStep && resolution != CaseResolution.CorrectAddress)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>True once the location confirms shipment; false when a person (or the deadline) gave up on it.</summary>
        /// <summary>
        /// Waits for the location's answer. Shipped: done. Short: what was packed shipped, the short units are re-routed
        /// (units nobody else has are not shipped). Rejected: the units are re-routed to locations that have them; what
        /// cannot be moved stays and a case asks a person (RetryStep waits for this location again, Cancel drops it).
        /// No answer by the deadline: a FulfillmentTimeout case. Re-routing is bounded by <see cref="MaxRounds"/> hops.
        /// </summary>
        private async Task<ShipmentResult> WaitForShipmentAsync(PlannedFulfillment plan, ShippingLabel label, int depth)
        {
            var timeout = input.Settings.FulfillmentConfirmationTimeout;
            var rerouted = new List<PlannedFulfillment>();
            for (var round = 1; round <= MaxRounds; round++)
            {
                var confirmation = await WaitAsync<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(plan.FulfillmentId), timeout, stoppable: true);
                if (confirmation is null && stopSignal.Task.IsCompleted)
                {
                    // Cancelled on request after another parcel shipped: this one is stopped (the location was told by the record).
                    return new ShipmentResult(null, rerouted);
                }

                if (confirmation?.Status == FulfillmentConfirmation.Shipped)
                {
                    return new ShipmentResult(plan, rerouted);
                }

                if (confirmation?.Status == FulfillmentConfirmation.Short && confirmation.ShortLines is { Count: > 0 } shortLines && depth < MaxRounds)
                {
                    var packed = plan.Lines
                        .Select(l => l with { Quantity = l.Quantity - shortLines.Where(s => s.Sku == l.Sku).Sum(s => s.Quantity) })
                        .Where(l => l.Quantity > 0)
                        .ToList();
                    var (plans, unmoved) = await RerouteAsync(plan, shortLines);
                    rerouted.AddRange(plans);
                    if (unmoved.Count > 0)
                    {
                        // Nobody else has these: they stay unshipped (released and not charged at completion).
                        allPlans.Add(plan with { FulfillmentId = $"{plan.FulfillmentId}-short", Lines = unmoved });
                    }

                    var shippedPart = plan with { Lines = packed };
                    allPlans[allPlans.IndexOf(plan)] = shippedPart;
                    return new ShipmentResult(packed.Count > 0 ? shippedPart : null, rerouted);
                }

                if (confirmation?.Status == FulfillmentConfirmation.Rejected && depth < MaxRounds)
                {
                    var (plans, unmoved) = await RerouteAsync(plan, plan.Lines);
                    rerouted.AddRange(plans);
                    if (unmoved.Count == 0)
                    {
                        allPlans.Remove(plan);
                        return new ShipmentResult(null, rerouted);
                    }

                    if (plans.Count > 0)
                    {
                        // What moved ships elsewhere; the rest stays here and a person decides about it below.
                        var remaining = plan with { Lines = unmoved };
                        allPlans[allPlans.IndexOf(plan)] = remaining;
                        plan = remaining;
                    }
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

                await RecordFulfillment(plan, "on-hold", label, reason);
                if (await EscalateAsync(reason, $"confirm-{plan.FulfillmentId}", error, orderContinuesOnCancel: true) != CaseResolution.RetryStep)
                {
                    return new ShipmentResult(null, rerouted);
                }

                await RecordFulfillment(plan, "awaiting-confirmation", label);
            }

            return new ShipmentResult(null, rerouted);
        }

        /// <summary>
        /// Auth-then-capture: one capture per shipped fulfillment; the last one takes the remainder (shipping, tax)
        /// less <paramref name="withheld"/>, what is owed for goods that did not ship.
        /// </summary>
        /// <remarks>
        /// Called with <paramref name="final"/> false when the first parcels shipped and the rest waits for backordered
        /// stock: those parcels are captured now (an authorization expires after days), the rest at completion. Each
        /// fulfillment is captured once; substitutes are charged at the ordered item's price.
        /// </remarks>
        private async Task CaptureAsync(PaymentVerification payment, IReadOnlyList<PlannedFulfillment> shipped, Domain.Common.Money withheld, bool final = true)
        {
            if (payment.State != PaymentState.RequiresCapture || order.PaymentReference is null)
            {
                return;
            }

            var pending = shipped.Where(p => !capturedFulfillments.Contains(p.FulfillmentId)).ToList();
            for (var i = 0; i < pending.Count; i++)
            {
                var last = final && i == pending.Count - 1;
                var amount = last
                    ? order.Totals.Total - capturedSoFar - withheld
                    : order.ValueOf(pending[i].Lines.Select(l => (OrderSku(l.Sku), l.Quantity)));
                capturedFulfillments.Add(pending[i].FulfillmentId);
                var result = await Step<CaptureResult>(nameof(CapturePaymentActivity), new CapturePaymentRequest(
                    OrderId, order.PaymentReference, amount, last, OrderIds.IdempotencyKey(context.InstanceId, $"capture-{pending[i].FulfillmentId}")));
                if (!result.Captured)
                {
                    await EscalateAsync(ExceptionReason.PaymentCaptureFailed, $"capture-{pending[i].FulfillmentId}", result.FailureReason ?? "Capture failed.", orderContinuesOnCancel: true);
                }

                capturedSoFar += amount;
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
                    await OpenCaseAsync(ExceptionReason.FraudReview, "dispute", "dispute", Describe(dispute));
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

        /// <summary>
        /// Cancels the whole order: releases its holds (or, when a cancellation request said not to restock, writes the
        /// held units off), gives the money back (a refund of what was captured, or a void of the authorization) unless the
        /// request said the money is handled elsewhere, and tells the customer unless the request said not to.
        /// </summary>
        private async Task<OrderOutcome> CancelAsync(string why, string? reasonCode = null)
        {
            cancelling = true;
            var held = reservations.Where(r => r.Allocations.Count > 0).ToList();
            await ReleaseAsync(reservations.Select(r => r.Sku).Concat(backorders.Keys), "release");
            if (cancellation is { Restock: false })
            {
                foreach (var r in held)
                {
                    foreach (var a in r.Allocations)
                    {
                        await InventoryCall<StockChangeResult>(r.Sku, nameof(InventoryEntity.Adjust), new AdjustStockRequest(a.Location, -a.Quantity, Actor, "cancelled-not-restocked", OrderId));
                    }
                }
            }

            var refunded = cancellation is not { Refund: false } && payment is { Verified: true }
                ? await RefundAsync(order.Totals.Total, "cancel", why)
                : null;
            await SetStatus(OrderStatus.Cancelled, why);
            if (cancellation is not { NotifyCustomer: false })
            {
                var details = new Dictionary<string, string>();
                if (reasonCode is not null)
                {
                    details[CustomerNotification.DetailKeys.Reason] = reasonCode;
                }

                if (refunded is { Succeeded: true, Voided: false })
                {
                    details[CustomerNotification.DetailKeys.Amount] = refunded.Amount.MinorUnits.ToString(CultureInfo.InvariantCulture);
                }

                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, null, details.Count == 0 ? null : details));
            }

            return new OrderOutcome(OrderId, OrderStatus.Cancelled, why);
        }

        /// <summary>
        /// Gives <paramref name="amount"/> back through the provider (a void when nothing was captured), once per step. A
        /// refusal opens a RefundFailed case: RetryStep tries again (new key), Cancel gives the refund up (the case and
        /// reconciliation keep it visible).
        /// </summary>
        private async Task<RefundResult?> RefundAsync(Domain.Common.Money amount, string step, string reason)
        {
            if (order.PaymentReference is null || payment is null)
            {
                return null;
            }

            for (var round = 1; round <= MaxRounds; round++)
            {
                var key = OrderIds.IdempotencyKey(context.InstanceId, round == 1 ? $"refund-{step}" : $"refund-{step}-{round}");
                var result = await RawStep<RefundResult>(nameof(RefundPaymentActivity), new RefundPaymentRequest(OrderId, order.PaymentReference, amount, reason, key));
                if (result.Succeeded)
                {
                    return result;
                }

                var caseId = await OpenCaseAsync(ExceptionReason.RefundFailed, $"refund-{step}", $"refund-{step}", $"Refund of {amount} refused: {result.FailureReason}");
                var (resolution, _) = await DecideAsync(caseId, ExceptionReason.RefundFailed);

                if (resolution != CaseResolution.RetryStep)
                {
                    return result;
                }
            }

            return null;
        }

        /// <summary>
        /// A checkpoint between steps: takes a cancellation request that has arrived (never waits) and applies it.
        /// </summary>
        private async Task CheckCancellationAsync(string step)
        {
            if (cancelling || cancelWait is not { IsCompletedSuccessfully: true } arrived)
            {
                return;
            }

            var request = await arrived;
            cancelWait = context.WaitForExternalEvent<CancelOrderRequest>(CancelOrderRequest.EventName);
            // A redelivered request (same id, e.g. a webhook sent twice) is applied once.
            if (request is not null && handledCancelRequests.Add(request.RequestId))
            {
                await ApplyCancellationAsync(request, step);
            }
        }

        /// <summary>
        /// Applies a cancellation request. The whole order (no lines, or every unit): before anything shipped the order is
        /// cancelled (unwinding to <see cref="ExecuteAsync"/>); after a shipment the unshipped fulfillments stop and what
        /// shipped is reported as not stoppable. Lines: units not yet reserved are dropped from the order, backordered units
        /// leave the queue; units already handed to a location are reported as not stoppable (a return handles them).
        /// </summary>
        private async Task ApplyCancellationAsync(CancelOrderRequest request, string step)
        {
            var demand = order.DemandBySku();
            var lines = request.Lines is { Count: > 0 } requested
                ? requested.Where(l => demand.ContainsKey(l.Sku) && l.Quantity > 0).Select(l => l with { Quantity = Math.Min(l.Quantity, demand[l.Sku]) }).ToList()
                : demand.Select(d => new CancelLine(d.Key, d.Value)).ToList();
            var whole = lines.Sum(l => l.Quantity) >= demand.Values.Sum();
            var code = request.Reason is "customer-request" or "out-of-stock" or "payment" ? request.Reason : null;
            var cancelled = new List<CancelLine>();
            var notStopped = new List<string>();

            if (whole && !anyShipped)
            {
                cancellation = request;
                await RecordCancellation(request, lines, notStopped);
                cancelCause = ($"Cancelled on request of {request.RequestedBy} ({request.Reason}).", code);
                cancelSignal.TrySetResult();
                throw new StepCancelledException(cancelCause.Value.Message, code);
            }

            if (whole)
            {
                cancellation = request;
                notStopped.Add("Parcels already shipped cannot be cancelled; unshipped fulfillments are stopped.");
                stopSignal.TrySetResult();
                foreach (var (sku, units) in backorders.ToList())
                {
                    await InventoryCall<StockRelease>(sku, nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, StockReasons.Release, Actor));
                    cancelledUnits[OrderSku(sku)] = cancelledUnits.GetValueOrDefault(OrderSku(sku)) + units;
                    cancelled.Add(new CancelLine(OrderSku(sku), units));
                }

                backorders.Clear();
                await RecordCancellation(request, cancelled, notStopped);
                return;
            }

            foreach (var line in lines)
            {
                var reserved = reservations.Any(r => r.Sku == line.Sku || (substitutions.TryGetValue(line.Sku, out var sub) && r.Sku == sub));
                var waiting = backorders.TryGetValue(substitutions.GetValueOrDefault(line.Sku, line.Sku), out var queued) ? queued : 0;
                if (!reserved)
                {
                    linesCancelledEarly[line.Sku] = Math.Min(demand[line.Sku], linesCancelledEarly.GetValueOrDefault(line.Sku) + line.Quantity);
                    cancelled.Add(line);
                }
                else if (waiting > 0 && line.Quantity >= waiting)
                {
                    var sku = substitutions.GetValueOrDefault(line.Sku, line.Sku);
                    await InventoryCall<StockRelease>(sku, nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, StockReasons.Release, Actor));
                    backorders.Remove(sku);
                    cancelledUnits[line.Sku] = cancelledUnits.GetValueOrDefault(line.Sku) + waiting;
                    cancelled.Add(new CancelLine(line.Sku, waiting));
                    if (line.Quantity > waiting)
                    {
                        notStopped.Add($"{line.Quantity - waiting} x {line.Sku} already reserved or handed to a location at {step}.");
                    }
                }
                else
                {
                    notStopped.Add($"{line.Quantity} x {line.Sku} already reserved or handed to a location at {step}.");
                }
            }

            await RecordCancellation(request, cancelled, notStopped);
            if (cancelled.Count > 0 && request.NotifyCustomer)
            {
                await NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, $"lines-{request.RequestId}", new Dictionary<string, string>
                {
                    [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(cancelled.Select(c => (c.Sku, c.Quantity))),
                    [CustomerNotification.DetailKeys.Reason] = code ?? "customer-request",
                }));
            }

            if (linesCancelledEarly.Values.Sum() >= demand.Values.Sum())
            {
                cancellation = request;
                cancelCause = ($"Cancelled on request of {request.RequestedBy} ({request.Reason}): every line was cancelled.", code);
                cancelSignal.TrySetResult();
                throw new StepCancelledException(cancelCause.Value.Message, code);
            }
        }

        private Task RecordCancellation(CancelOrderRequest request, IReadOnlyList<CancelLine> cancelled, IReadOnlyList<string> notStopped) =>
            RawStep<bool>(nameof(RecordCancellationActivity), new CancellationReport(OrderId, request.RequestId, request.RequestedBy, request.Reason, cancelled, notStopped));

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
                await OpenCaseAsync(
                    ExceptionReason.NotificationFailed, "notify", $"notify-{notification.Milestone}",
                    $"The {notification.Milestone} email ({notification.Key}) could not be delivered: {ex.FailureDetails.ErrorMessage}");
            }
        }

        /// <summary>Releases the order's holds on these SKUs; freed units go to waiting orders, whose workflows are told.</summary>
        private async Task ReleaseAsync(IEnumerable<string> skus, string reason)
        {
            foreach (var sku in skus.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var released = await InventoryCall<StockRelease>(sku, nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, reason, Actor));
                await StockEvents.AfterChangeAsync(context, sku, released.Filled, null, retry);
            }
        }

        /// <summary>The location name of digital deliveries (no stock is held there).</summary>
        private const string DigitalLocation = "digital";

        /// <summary>Who the ledger names for this workflow's stock changes.</summary>
        private string Actor => $"order:{OrderId}";

        /// <summary>
        /// Calls the SKU's entity. An operation fails when its ledger write fails (storage unavailable): the entity
        /// rolled it back, so it is simply called again, after a durable backoff, up to the activity attempt budget.
        /// </summary>
        private async Task<T> InventoryCall<T>(string sku, string operation, object? operationInput)
        {
            var delay = input.Settings.ActivityFirstRetryInterval ?? TimeSpan.FromSeconds(5);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await context.Entities.CallEntityAsync<T>(Inventory(sku), operation, operationInput);
                }
                catch (EntityOperationFailedException) when (attempt < input.Settings.ActivityMaxAttempts)
                {
                    await context.CreateTimer(context.CurrentUtcDateTime.Add(delay), CancellationToken.None);
                    delay = delay * 2 > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : delay * 2;
                }
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
            openCases++;
            var caseId = await OpenCaseAsync(reason, step, step, error);
            await SetStatus(OrderStatus.OnHold, $"On hold: {reason} (case {caseId}).", guarded: false);
            context.SetCustomStatus($"on-hold:{caseId}");
            var logger = context.CreateReplaySafeLogger<OrderOrchestrator>();
            logger.LogWarning("Order {OrderId} escalated as {Reason} in case {CaseId}", OrderId, reason, caseId);

            var (resolution, decision) = await DecideAsync(caseId, reason);
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
        /// Opens a case (durably, before any alert goes out) with the reason's allowed resolutions and the store's deadline.
        /// Its id is the order id, <paramref name="idPart"/> and the order's running case number.
        /// </summary>
        private async Task<string> OpenCaseAsync(ExceptionReason reason, string idPart, string step, string error)
        {
            caseCount++;
            var caseId = $"{OrderId}-{idPart}-{caseCount}";
            var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            await RawStep<bool>(nameof(OpenCaseActivity), new OpenCaseRequest(
                caseId, OrderId, reason, step, error, CasePolicy.AllowedResolutions(reason), now + input.Settings.CaseDeadline));
            return caseId;
        }

        /// <summary>A person's decision on the case, or at its deadline the reason's default (recorded on the case).</summary>
        private async Task<(CaseResolution Resolution, CaseDecision? Decision)> DecideAsync(string caseId, ExceptionReason reason)
        {
            var decision = await WaitForDecisionAsync(caseId);
            var resolution = decision?.Resolution ?? CasePolicy.DefaultOnTimeout(reason);
            if (decision is null)
            {
                await RawStep<bool>(nameof(RecordCaseTimeoutActivity), new CaseTimeout(caseId, OrderId, resolution));
            }

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
        private async Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout, bool stoppable = false)
            where T : class
        {
            using var cts = new CancellationTokenSource();
            var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), cts.Token);
            var evt = context.WaitForExternalEvent<T>(eventName, cts.Token);
            try
            {
                // A cancellation request arriving meanwhile is applied at once; a line cancellation lets the wait go on.
                for (var round = 0; round < MaxRounds; round++)
                {
                    // While the order is being cancelled, waits (for a decision on a failed cancellation step) ignore the signals.
                    var candidates = new List<Task> { evt, deadline };
                    var cancelRequest = cancelWait;
                    if (!cancelling)
                    {
                        candidates.Add(cancelSignal.Task);
                        if (cancelRequest is not null)
                        {
                            candidates.Add(cancelRequest);
                        }

                        if (stoppable)
                        {
                            candidates.Add(stopSignal.Task);
                        }
                    }

                    var winner = await Task.WhenAny(candidates);
                    if (winner == cancelSignal.Task)
                    {
                        throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
                    }

                    // Parallel waits all wake on the request; the first takes it, the others find it taken and wait on.
                    if (winner == cancelRequest)
                    {
                        await CheckCancellationAsync($"wait-{eventName}");
                        continue;
                    }

                    return winner == evt ? await evt : null;
                }

                return null;
            }
            finally
            {
                // Synchronous Cancel on purpose: CancelAsync would resume this orchestrator on a thread-pool thread,
                // outside the engine's replay scheduler, and the workflow would silently stop making progress.
                cts.Cancel();
            }
        }

        private Task RecordFulfillment(PlannedFulfillment plan, string status, ShippingLabel? label, ExceptionReason? holdReason = null) =>
            Step<bool>(nameof(RecordFulfillmentActivity), new FulfillmentUpdate(OrderId, plan.FulfillmentId, plan.Location, plan.Lines, status, label, holdReason?.ToString()));

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
