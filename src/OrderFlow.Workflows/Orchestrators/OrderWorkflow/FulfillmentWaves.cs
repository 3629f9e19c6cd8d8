using System.Globalization;
using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Ships the order in waves: digital items at once, the reserved units routed into fulfillments that run in parallel
/// (label, hand-off, the location's confirmation, re-routing of what it rejected or could not pick), and one more wave
/// per backorder fill. Returns the fulfillments that shipped.
/// Longer than 400 lines on purpose: one parcel's whole path (label, hand-off, wait, re-route, hold, commit) reads in one
/// place; its pure parts already live in <c>OrderProgress</c> and <c>OrderSettlement</c> (Domain).
/// </summary>
internal sealed class FulfillmentWaves(
    TaskOrchestrationContext context, OrderState state, OrderSteps steps, CancellationInbox cancellations, PaymentGate payments, Settlement settlement)
{
    /// <summary>The customer-email reason of a parcel a cancellation could not stop (it had left already).</summary>
    public const string CancelTooLate = "cancel-too-late";

    private readonly LocationRecall recall = new(context, state, steps);

    /// <summary>The location name of digital deliveries (no stock is held there).</summary>
    private const string DigitalLocation = "digital";

    private const int MaxRounds = DurableCalls.MaxRounds;

    private string OrderId => state.OrderId;

    private OrderProgress Progress => state.Progress;

    /// <summary>
    /// Digital items need no stock and no shipment: one fulfillment "delivered" at once, and an email per product with
    /// the catalog's download page. It counts as shipped (captured and booked like a parcel).
    /// </summary>
    public async Task<PlannedFulfillment> DeliverDigitalAsync()
    {
        var plan = new PlannedFulfillment(
            OrderIds.Fulfillment(OrderId, this.Progress.TakeFulfillmentNumbers(1)),
            DigitalLocation,
            this.Progress.DigitalUnits.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new FulfillmentLine(d.Key, d.Value)).ToList(),
            FulfillmentMethod.DigitalDelivery,
            LocationKind.Digital);
        this.Progress.AllPlans.Add(plan);
        this.Progress.AnyShipped = true;
        if (state.Current == OrderStatus.Reserved)
        {
            await steps.SetStatusAsync(OrderStatus.InFulfillment, "Digital items delivered.");
        }

        await steps.RecordFulfillmentAsync(plan, "delivered", null);
        foreach (var line in plan.Lines)
        {
            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Delivered, plan.FulfillmentId, line.Sku, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems([(line.Sku, line.Quantity)]),
                [CustomerNotification.DetailKeys.DownloadUrl] = state.Policy(line.Sku).DownloadUrl ?? string.Empty,
            }));
        }

        return plan;
    }

    /// <summary>Routes reserved units into fulfillments (numbered after earlier waves) and ships them; returns the confirmed ones.</summary>
    public async Task<List<PlannedFulfillment>> FulfillWaveAsync(IReadOnlyList<ReservationOutcome> parts)
    {
        context.SetCustomStatus("fulfill");
        var plans = await this.PlanAsync(parts);
        await steps.SetStatusAsync(OrderStatus.InFulfillment, $"Handed to {plans.Count} location(s).");
        var shipped = await Task.WhenAll(plans.Select(p => this.FulfillAsync(p, 1)));
        return shipped.SelectMany(x => x).ToList();
    }

    /// <summary>
    /// Waits for backordered units: the SKU entities reserve arriving stock for the oldest waiting orders and their
    /// workflows get a BackorderFilled event per fill. When every backordered SKU is complete, the filled units
    /// ship as one more wave. Past Inventory:BackorderMaxWait an OutOfStock case asks a person: RetryStep waits
    /// again, Cancel gives up the missing units (what was filled still ships). Bounded: each round consumes one
    /// fill (at least one unit) or one case.
    /// </summary>
    public async Task FulfillBackordersAsync(List<PlannedFulfillment> shipped)
    {
        var backorders = this.Progress.Backorders;
        if (backorders.Count == 0)
        {
            return;
        }

        await steps.SetStatusAsync(shipped.Count > 0 ? OrderStatus.PartiallyFulfilled : OrderStatus.Backordered,
            "Waiting for backordered units: " + string.Join(", ", backorders.Select(b => $"{b.Value} x {b.Key}")) + ".");
        if (state.Payment is { } payment && shipped.Count > 0)
        {
            // What already shipped is captured now: the authorization may expire before the backorder fills.
            await settlement.CaptureAsync(payment, shipped, Domain.Common.Money.Zero(state.Order.Currency), final: false);
        }

        context.SetCustomStatus("backordered");
        var filled = new Dictionary<string, List<StockAllocation>>(StringComparer.Ordinal);
        var waits = backorders.Keys.ToDictionary(sku => sku, sku => context.WaitForExternalEvent<BackorderFill>(StockEvents.BackorderFilled(sku)), StringComparer.Ordinal);
        var deadline = context.CurrentUtcDateTime.Add(state.Input.Settings.BackorderMaxWait);
        var maxRounds = backorders.Values.Sum() + MaxRounds;
        for (var round = 0; round < maxRounds && backorders.Count > 0; round++)
        {
            using var cts = new CancellationTokenSource();
            var timer = context.CreateTimer(deadline, cts.Token);
            var pending = backorders.Keys.Select(sku => (Task)waits[sku]).Append(timer).ToList();
            var cancelRequest = state.Input.Runs(OrderWorkflowVersions.BackorderWaitHearsCancellation) && !state.Cancelling ? cancellations.Next : null;
            if (cancelRequest is not null)
            {
                pending.Add(cancelRequest);
            }

            var winner = await Task.WhenAny(pending);
            cts.Cancel();
            if (winner == cancelRequest)
            {
                // Applied at once: the whole order cancels (or stops what has not shipped); cancelled lines leave the queue.
                await cancellations.CheckAsync("backorder");
                continue;
            }

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
            if (await steps.EscalateAsync(ExceptionReason.OutOfStock, "backorder", missing, orderContinuesOnCancel: true) == CaseResolution.RetryStep)
            {
                deadline = context.CurrentUtcDateTime.Add(state.Input.Settings.BackorderMaxWait);
                continue;
            }

            // Give up the missing units: leave the queues, keep (and ship) what was filled.
            foreach (var (sku, units) in backorders.ToList())
            {
                this.Progress.CancelUnits(sku, units);
                await steps.LeaveBackorderAsync(sku);
                filled.Remove(sku);
            }

            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "backorder", new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(backorders.Select(b => (this.Progress.OrderSku(b.Key), b.Value))),
                [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
            }));
            backorders.Clear();
        }

        if (filled.Count > 0)
        {
            var parts = filled.Select(f => new ReservationOutcome(f.Key, true, f.Value.Sum(a => a.Quantity), 0,
                f.Value.GroupBy(a => a.Location, StringComparer.Ordinal).Select(g => new StockAllocation(g.Key, g.Sum(a => a.Quantity))).ToList())).ToList();
            shipped.AddRange(await this.FulfillWaveAsync(parts));
        }
    }

    /// <summary>Routes reserved units into fulfillments, numbered after every earlier one (the numbers are taken before any await).</summary>
    private async Task<IReadOnlyList<PlannedFulfillment>> PlanAsync(IReadOnlyList<ReservationOutcome> parts)
    {
        var first = this.Progress.TakeFulfillmentNumbers(parts.SelectMany(p => p.Allocations).Select(a => a.Location).Distinct(StringComparer.Ordinal).Count());
        var plans = await steps.StepAsync<IReadOnlyList<PlannedFulfillment>>(nameof(RouteOrderActivity), new RouteOrderRequest(OrderId, parts, first));
        this.Progress.AllPlans.AddRange(plans);
        return plans;
    }

    /// <summary>
    /// Label, hand-off, wait for the location's confirmation, commit stock, tell the customer. Returns the fulfillments
    /// that shipped: this one (or the part of it that shipped) and those its rejected or short units were re-routed to.
    /// </summary>
    private async Task<List<PlannedFulfillment>> FulfillAsync(PlannedFulfillment plan, int depth)
    {
        await cancellations.CheckAsync($"label-{plan.FulfillmentId}");
        if (state.StopSignal.Task.IsCompleted)
        {
            await steps.RecordFulfillmentAsync(plan, "cancelled", null);
            return [];
        }

        await payments.CheckAsync($"label-{plan.FulfillmentId}");
        var label = await this.BuyLabelAsync(plan);
        if (label is null)
        {
            await steps.RecordFulfillmentAsync(plan, "cancelled", null);
            return [];
        }

        await payments.CheckAsync($"dispatch-{plan.FulfillmentId}");
        await steps.StepAsync<string>(nameof(DispatchFulfillmentActivity), new FulfillmentDispatch(
            OrderId, plan.FulfillmentId, plan.Location, plan.Lines, label.TrackingNumber, OrderIds.IdempotencyKey(context.InstanceId, $"dispatch-{plan.FulfillmentId}")));
        var recalls = state.Input.Runs(OrderWorkflowVersions.CancellationReachesLocation);
        if (recalls)
        {
            // Registered once the hand-off succeeded: from here a cancellation must reach the location.
            state.AtLocation[plan.FulfillmentId] = (plan, label);
        }

        await steps.RecordFulfillmentAsync(plan, "awaiting-confirmation", label);

        var result = await this.WaitForShipmentAsync(plan, label, depth);
        var tooLate = false;
        ExceptionReason? unconfirmed = null;
        if (recalls && result.Shipped is null)
        {
            // Dropped after the hand-off (stopped by a cancellation, dropped by a person, or refused): tell the
            // location unless it refused, and void the label unless the parcel left anyway.
            var why = state.StopSignal.Task.IsCompleted ? "order-cancelled" : "fulfillment-dropped";
            var (outcome, lines) = await this.recall.RecallAsync(plan, label, !result.LocationDeclined, why);
            if (outcome == RecallOutcome.Shipped)
            {
                result = result with { Shipped = this.ShippedPart(plan, lines) };
                tooLate = state.Cancellation is not null;
            }
            else if (outcome == RecallOutcome.Unconfirmed)
            {
                unconfirmed = ExceptionReason.LocationCancelUnconfirmed;
            }
        }

        var shipped = new List<PlannedFulfillment>();
        if (result.Shipped is { } part)
        {
            await this.ShipAsync(part, label, tooLate);
            shipped.Add(part);
        }
        else
        {
            await steps.RecordFulfillmentAsync(plan, result.Rerouted.Count > 0 ? "rerouted" : "cancelled", label, unconfirmed);
        }

        if (recalls)
        {
            // Only now: a cancellation that unwinds the workflow before this point recalls the fulfillment again (the
            // location answers the same key the same way), so a parcel that left is never refunded.
            state.AtLocation.Remove(plan.FulfillmentId);
        }

        var more = await Task.WhenAll(result.Rerouted.Select(p => this.FulfillAsync(p, depth + 1)));
        shipped.AddRange(more.SelectMany(x => x));
        return shipped;
    }

    /// <summary>
    /// Revision 5, when a cancellation unwinds the workflow: recalls every fulfillment still at its location (told to
    /// cancel, label voided). Returns those that had already shipped, now treated as shipped (stock committed, the
    /// customer told with the tracking that the cancellation could not stop them).
    /// </summary>
    public async Task<List<PlannedFulfillment>> RecallAtLocationsAsync()
    {
        var shipped = new List<PlannedFulfillment>();
        foreach (var (fulfillmentId, (plan, label)) in state.AtLocation.ToList())
        {
            state.AtLocation.Remove(fulfillmentId);
            var (outcome, lines) = await this.recall.RecallAsync(plan, label, tellLocation: true, "order-cancelled");
            if (outcome == RecallOutcome.Shipped)
            {
                var part = this.ShippedPart(plan, lines);
                await this.ShipAsync(part, label, tooLate: state.Cancellation is not null);
                shipped.Add(part);
            }
            else
            {
                await steps.RecordFulfillmentAsync(plan, "cancelled", label, outcome == RecallOutcome.Unconfirmed ? ExceptionReason.LocationCancelUnconfirmed : null);
            }
        }

        return shipped;
    }

    /// <summary>
    /// The part of <paramref name="plan"/> that left (all of it, or what a short answer packed); the rest is planned as
    /// an unshipped remainder, so settlement neither charges nor keeps it.
    /// </summary>
    private PlannedFulfillment ShippedPart(PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines)
    {
        var allPlans = this.Progress.AllPlans;
        var part = plan with { Lines = lines };
        var index = allPlans.FindIndex(p => p.FulfillmentId == plan.FulfillmentId);
        if (index >= 0)
        {
            allPlans[index] = part;
        }

        var missing = plan.Lines
            .Select(l => l with { Quantity = l.Quantity - lines.Where(s => s.Sku == l.Sku).Sum(s => s.Quantity) })
            .Where(l => l.Quantity > 0)
            .ToList();
        if (missing.Count > 0)
        {
            allPlans.Add(plan with { FulfillmentId = $"{plan.FulfillmentId}-short", Lines = missing });
        }

        return part;
    }

    /// <summary>
    /// The parcel left: commit its stock, record it shipped, tell the customer (with the tracking; when a cancellation
    /// came too late to stop it, the email says so).
    /// </summary>
    private async Task ShipAsync(PlannedFulfillment part, ShippingLabel label, bool tooLate)
    {
        this.Progress.AnyShipped = true;
        Task<int> CommitAsync(FulfillmentLine line) =>
            steps.Calls.InventoryAsync<int>(state.StockKey(line.Sku), nameof(InventoryEntity.Commit), new CommitStockRequest(OrderId, part.Location, part.FulfillmentId, line.Quantity));

        // The lines' commits are independent of each other; their results are then taken in order.
        var commits = state.Input.Runs(OrderWorkflowVersions.EntityCallsFannedOut) ? await Task.WhenAll(part.Lines.Select(CommitAsync)) : null;
        var next = 0;
        foreach (var line in part.Lines)
        {
            var committed = commits is not null ? commits[next++] : await CommitAsync(line);
            if (committed < line.Quantity && state.Input.Runs(OrderWorkflowVersions.StockReleasesTold))
            {
                // The parcel left, but the SKU's counters did not hold its units: on-hand is now overstated. Never
                // ignored: a person checks the stock (the order itself goes on).
                await steps.Desk.OpenAsync(ExceptionReason.StockCommitMismatch, $"commit-{part.FulfillmentId}-{line.Sku}", "commit",
                    $"{part.FulfillmentId} shipped {line.Quantity} x {line.Sku} from {part.Location}, but the stock commit moved {committed}: "
                    + $"the order's reservation there did not hold them, so on-hand is overstated. Check GET /api/inventory/{line.Sku}/explain and count the location.");
            }
        }

        await steps.RecordFulfillmentAsync(part, "shipped", label);
        var details = tooLate ? new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = CancelTooLate } : null;
        await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Shipped, part.FulfillmentId, null, details));
    }

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
            var outcome = await steps.Calls.InventoryAsync<ReservationOutcome>(state.StockKey(line.Sku), nameof(InventoryEntity.Reroute), new RerouteStockRequest(OrderId, plan.Location, line.Quantity));
            if (outcome.Succeeded)
            {
                moved.Add(outcome);
            }
            else
            {
                unmoved.Add(line);
            }
        }

        return (moved.Count == 0 ? [] : await this.PlanAsync(moved), unmoved);
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
            var outcome = await steps.StepAsync<LabelOutcome>(nameof(BuyLabelActivity), new BuyLabelRequest(OrderId, plan, attempt));
            if (outcome.Label is { } label)
            {
                return label;
            }

            await steps.RecordFulfillmentAsync(plan, "on-hold", null, ExceptionReason.AddressInvalid);
            var (resolution, decision) = await steps.EscalateForDecisionAsync(
                ExceptionReason.AddressInvalid, $"label-{plan.FulfillmentId}", $"The carrier refused the ship-to address: {outcome.AddressError}", orderContinuesOnCancel: true);
            if (!await steps.ApplyAddressDecisionAsync(resolution, decision))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Waits for the location's answer. Shipped: done. Short: what was packed shipped, the short units are re-routed
    /// (units nobody else has are not shipped). Rejected: the units are re-routed to locations that have them; what
    /// cannot be moved stays and a case asks a person (RetryStep waits for this location again, Cancel drops it).
    /// No answer by the deadline: a FulfillmentTimeout case. Re-routing is bounded by <see cref="MaxRounds"/> hops.
    /// </summary>
    private async Task<ShipmentResult> WaitForShipmentAsync(PlannedFulfillment plan, ShippingLabel label, int depth)
    {
        var allPlans = this.Progress.AllPlans;
        var timeout = state.Input.Settings.FulfillmentConfirmationTimeout;
        var rerouted = new List<PlannedFulfillment>();
        for (var round = 1; round <= MaxRounds; round++)
        {
            var confirmation = await cancellations.WaitAsync<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(plan.FulfillmentId), timeout, stoppable: true);
            if (confirmation is null && state.StopSignal.Task.IsCompleted)
            {
                // Cancelled on request after another parcel shipped: this one is stopped (from revision 6 FulfillAsync then
                // recalls it from its location; before, the location was told only by the record).
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
                var (plans, unmoved) = await this.RerouteAsync(plan, shortLines);
                rerouted.AddRange(plans);
                if (unmoved.Count > 0)
                {
                    // Nobody else has these: they stay unshipped (released and not charged at completion).
                    allPlans.Add(plan with { FulfillmentId = $"{plan.FulfillmentId}-short", Lines = unmoved });
                }

                var shippedPart = plan with { Lines = packed };
                allPlans[allPlans.IndexOf(plan)] = shippedPart;
                return new ShipmentResult(packed.Count > 0 ? shippedPart : null, rerouted, LocationDeclined: packed.Count == 0);
            }

            if (confirmation?.Status == FulfillmentConfirmation.Rejected && depth < MaxRounds)
            {
                var (plans, unmoved) = await this.RerouteAsync(plan, plan.Lines);
                rerouted.AddRange(plans);
                if (unmoved.Count == 0)
                {
                    allPlans.Remove(plan);
                    return new ShipmentResult(null, rerouted, LocationDeclined: true);
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
                await steps.NotifyAsync(new CustomerNotification(
                    OrderId, Milestone.Delayed, plan.FulfillmentId, round.ToString(CultureInfo.InvariantCulture),
                    new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = "fulfillment-late" }));
            }

            await steps.RecordFulfillmentAsync(plan, "on-hold", label, reason);
            if (await steps.EscalateAsync(reason, $"confirm-{plan.FulfillmentId}", error, orderContinuesOnCancel: true) != CaseResolution.RetryStep)
            {
                return new ShipmentResult(null, rerouted, LocationDeclined: confirmation?.Status == FulfillmentConfirmation.Rejected);
            }

            await steps.RecordFulfillmentAsync(plan, "awaiting-confirmation", label);
        }

        return new ShipmentResult(null, rerouted);
    }
}
