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
/// One parcel's path is <see cref="ParcelFlow"/>, run here or, from <see cref="OrderWorkflowVersions.FulfillmentAsChild"/>,
/// in a Fulfillment child workflow per parcel (<see cref="FulfillmentChildren"/>); from
/// <see cref="OrderWorkflowVersions.SingleParcelInline"/> an order whose first wave routes into one parcel runs here again
/// (<see cref="OrderState.ParcelsAsChildren"/>).
/// </summary>
internal sealed class FulfillmentWaves : IParcelHost
{
    /// <summary>The customer-email reason of a parcel a cancellation could not stop (it had left already).</summary>
    public const string CancelTooLate = "cancel-too-late";

    private readonly TaskOrchestrationContext context;
    private readonly OrderState state;
    private readonly OrderSteps steps;
    private readonly CancellationInbox cancellations;
    private readonly PaymentGate payments;
    private readonly Settlement settlement;
    private readonly ParcelFlow parcel;
    private readonly FulfillmentChildren children;

    public FulfillmentWaves(
        TaskOrchestrationContext context, OrderState state, OrderSteps steps, CancellationInbox cancellations, PaymentGate payments, Settlement settlement)
    {
        this.context = context;
        this.state = state;
        this.steps = steps;
        this.cancellations = cancellations;
        this.payments = payments;
        this.settlement = settlement;
        this.parcel = new ParcelFlow(context, state, steps, this);
        this.children = new FulfillmentChildren(context, state, steps, cancellations, payments, this);
    }

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
        var plans = await this.PlanAsync(parts, wave: true);
        state.FirstWaveRouted(plans.Count);
        if (!state.Input.Runs(OrderWorkflowVersions.StatusWithStep))
        {
            await steps.SetStatusAsync(OrderStatus.InFulfillment, $"Handed to {plans.Count} location(s).");
        }

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

    /// <summary>
    /// Routes reserved units into fulfillments, numbered after every earlier one (the numbers are taken before any await).
    /// From <see cref="OrderWorkflowVersions.StatusWithStep"/> the routing of a <paramref name="wave"/> carries the status
    /// changes around it: a Reserved left for it (<see cref="OrderSteps.DeferStatus"/>) and InFulfillment (its note counts
    /// the plans, one per location, <see cref="RoutingPolicy.Plan"/>), tracked once the routing is done as
    /// <see cref="OrderSteps.SetStatusAsync"/> would have.
    /// </summary>
    private async Task<IReadOnlyList<PlannedFulfillment>> PlanAsync(IReadOnlyList<ReservationOutcome> parts, bool wave = false)
    {
        var first = this.Progress.TakeFulfillmentNumbers(parts.SelectMany(p => p.Allocations).Select(a => a.Location).Distinct(StringComparer.Ordinal).Count());
        var request = new RouteOrderRequest(OrderId, parts, first);
        var carried = wave && state.Input.Runs(OrderWorkflowVersions.StatusWithStep);
        if (carried)
        {
            var handedTo = RoutingPolicy.Plan(OrderId, parts, first).Count;
            request = request with
            {
                Before = steps.TakeDeferredStatus(),
                Then = steps.StatusChangeFor(OrderStatus.InFulfillment, $"Handed to {handedTo} location(s)."),
            };
        }

        var plans = await steps.StepAsync<IReadOnlyList<PlannedFulfillment>>(nameof(RouteOrderActivity), request);
        this.Progress.AllPlans.AddRange(plans);
        if (carried)
        {
            steps.Track(OrderStatus.InFulfillment);
        }

        return plans;
    }

    /// <summary>
    /// The checkpoints before a parcel's label (a cancellation request, a stop, a payment event), then its path
    /// (<see cref="ParcelFlow"/>: in this workflow, or when <see cref="OrderState.ParcelsAsChildren"/> in its Fulfillment
    /// child), then the fulfillments its rejected or short units were re-routed to. Returns what shipped.
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
        var (shipped, rerouted) = state.ParcelsAsChildren
            ? await this.children.RunAsync(plan, depth)
            : await this.parcel.RunAsync(plan, depth);
        var more = await Task.WhenAll(rerouted.Select(p => this.FulfillAsync(p, depth + 1)));
        shipped.AddRange(more.SelectMany(x => x));
        return shipped;
    }

    /// <summary>
    /// From revision 6, when a cancellation unwinds the workflow: recalls every fulfillment still at its location and
    /// returns those that had already shipped (see <see cref="ParcelFlow.RecallAtLocationsAsync"/>).
    /// </summary>
    public Task<List<PlannedFulfillment>> RecallAtLocationsAsync() => this.parcel.RecallAtLocationsAsync();

    Task<T?> IParcelHost.WaitAsync<T>(string eventName, TimeSpan timeout, bool stoppable)
        where T : class => cancellations.WaitAsync<T>(eventName, timeout, stoppable);

    Task IParcelHost.CheckPaymentAsync(string step) => payments.CheckAsync(step);

    bool IParcelHost.Stopped => state.StopSignal.Task.IsCompleted;

    bool IParcelHost.CancellationRequested => state.Cancellation is not null;

    void IParcelHost.Shipping()
    {
        // Nothing to tell: this is the order workflow (ShipAsync marks the order's progress).
    }

    /// <summary>
    /// Moves units a location rejected or could not pick to other locations that have them (the SKU entity moves the
    /// reservation atomically) and plans fulfillments there. Returns those plans and the lines nobody else can supply.
    /// </summary>
    public async Task<(IReadOnlyList<PlannedFulfillment> Plans, IReadOnlyList<FulfillmentLine> Unmoved)> RerouteAsync(PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines)
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
}
