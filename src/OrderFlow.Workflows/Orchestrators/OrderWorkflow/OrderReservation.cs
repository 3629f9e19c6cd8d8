using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Reserves the order's stock, all or nothing (each SKU entity reserves atomically; a shortage gives back what the
/// attempt held), applying each SKU's out-of-stock policy (backorder, substitute, cancel the line, escalate); an OutOfStock case per failed round. Then
/// tells the timeline and the customer what was decided per SKU.
/// </summary>
internal sealed class OrderReservation(TaskOrchestrationContext context, OrderState state, OrderSteps steps, PaymentGate payments)
{
    private readonly ShardedStock shards = new(context, state, steps);

    private string OrderId => state.OrderId;

    private OrderProgress Progress => state.Progress;

    /// <summary>True when something was reserved, backordered or is digital; false when a person (or the deadline) gave up.</summary>
    public async Task<bool> ReserveAsync()
    {
        if (!state.Input.Runs(OrderWorkflowVersions.ReservationPlannedInOneStep))
        {
            this.KeepPolicies(await steps.StepAsync<IReadOnlyList<StockPolicy>>(nameof(GetStockPoliciesActivity), this.Skus));
        }

        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            await payments.CheckAsync("reserve");
            context.SetCustomStatus("reserve");
            var shortages = await this.TryReserveAllAsync();
            if (shortages.Count > 0 && state.Input.Runs(OrderWorkflowVersions.ReservesWithoutLock))
            {
                // Without a lock a shortage may be another order's passing hold (its own all-or-nothing attempt, given
                // back a moment later): try once more after a pause that differs per order, one SKU at a time.
                context.SetCustomStatus("reserve-retry");
                await context.CreateTimer(context.CurrentUtcDateTime + ContentionPause(), CancellationToken.None);
                shortages = await this.TryReserveAllAsync(oneByOne: true);
            }

            if (shortages.Count == 0)
            {
                await this.AnnounceAsync();
                return this.Progress.Reservations.Count > 0 || this.Progress.Backorders.Count > 0 || this.Progress.DigitalUnits.Count > 0;
            }

            var error = string.Join(" ", shortages.Select(s => $"SKU {s.Sku}: {s.Requested} requested, {s.Available} available."));
            if (await steps.EscalateAsync(ExceptionReason.OutOfStock, "reserve", error) != CaseResolution.RetryStep)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Every SKU of the order, sorted: whose policies are read.</summary>
    private List<string> Skus => state.Order.DemandBySku().Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The policies read once per run (from revision 17 by the first attempt's plan), kept for the order's life.</summary>
    private IReadOnlyList<StockPolicy>? policies;

    private void KeepPolicies(IReadOnlyList<StockPolicy> read)
    {
        this.policies = read;
        state.Policies = read.ToDictionary(p => p.Sku, StringComparer.Ordinal);
    }

    /// <summary>One to five seconds, from the run's deterministic GUID (the same on every replay, different per order).</summary>
    private TimeSpan ContentionPause() => TimeSpan.FromMilliseconds(1000 + (context.NewGuid().ToByteArray()[0] * 4000 / 255));

    /// <summary>Timeline, status and customer emails for what the reservation decided per SKU.</summary>
    private async Task AnnounceAsync()
    {
        var progress = this.Progress;
        var parts = new List<string>();
        if (progress.Reservations.Count > 0)
        {
            parts.Add("reserved " + string.Join(", ", progress.Reservations.Where(r => r.ReservedQuantity > 0).Select(r => $"{r.ReservedQuantity} x {r.Sku}")));
        }

        if (progress.DigitalUnits.Count > 0)
        {
            parts.Add("digital (no stock) " + string.Join(", ", progress.DigitalUnits.Select(d => $"{d.Value} x {d.Key}")));
        }

        if (progress.Substitutions.Count > 0)
        {
            parts.Add("substituted " + string.Join(", ", progress.Substitutions.Select(x => $"{x.Key} -> {x.Value}")));
        }

        if (progress.Backorders.Count > 0)
        {
            parts.Add("backordered " + string.Join(", ", progress.Backorders.Select(b => $"{b.Value} x {b.Key}")));
        }

        // Lines the Cancel policy dropped (lines a person cancelled earlier were announced with their request).
        var outOfStock = progress.CancelledUnits
            .Select(c => (Sku: c.Key, Units: c.Value - progress.LinesCancelledEarly.GetValueOrDefault(c.Key)))
            .Where(c => c.Units > 0)
            .ToList();
        if (outOfStock.Count > 0)
        {
            parts.Add("cancelled (out of stock) " + string.Join(", ", outOfStock.Select(c => $"{c.Units} x {c.Sku}")));
        }

        // From revision 14, when nothing is told between them and the order goes straight to its parcels, the routing
        // activity writes Reserved (a cancellation applied in between writes it first).
        var note = $"Stock: {string.Join("; ", parts)}.";
        if (state.Input.Runs(OrderWorkflowVersions.StatusWithStep) && progress.Substitutions.Count == 0 && progress.Backorders.Count == 0
            && outOfStock.Count == 0 && progress.DigitalUnits.Count == 0 && progress.Reservations.Any(r => r.Allocations.Count > 0))
        {
            steps.DeferStatus(OrderStatus.Reserved, note);
        }
        else
        {
            await steps.SetStatusAsync(OrderStatus.Reserved, note);
        }

        foreach (var (from, to) in progress.Substitutions.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Substituted, null, from, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems([(from, state.Order.DemandBySku()[from])]),
                [CustomerNotification.DetailKeys.SubstituteTitle] = to,
                [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
            }));
        }

        if (progress.Backorders.Count > 0)
        {
            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Backordered, null, null, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(progress.Backorders.Select(b => (b.Key, b.Value))),
            }));
        }

        if (outOfStock.Count > 0 && (progress.Reservations.Count > 0 || progress.Backorders.Count > 0))
        {
            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "lines", new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(outOfStock),
                [CustomerNotification.DetailKeys.Reason] = "out-of-stock",
            }));
        }
    }

    /// <summary>
    /// One attempt to reserve everything the order still wants, all or nothing. Demand is summed per SKU first, so two
    /// lines of one SKU cannot oversell it. Per SKU the policy decides what a shortage means: Backorder reserves what
    /// exists and queues the rest, Substitute reserves the substitute, Cancel drops the line, Escalate (and a failed
    /// substitute) is a shortage: then every hold is released and the shortages are returned.
    /// <para>
    /// Orders of <see cref="OrderWorkflowVersions.ReservesWithoutLock"/> and later need no lock: each SKU entity reserves
    /// atomically, the SKUs whose shortage fails the round are reserved first and released again when one falls short
    /// (a compensation), and only then are the Backorder SKUs reserved (they cannot fall short), so no queue place is
    /// ever taken and given back. <paramref name="oneByOne"/> reserves the first group one SKU at a time in SKU order
    /// and stops at the first shortage, holding nothing it does not need: two orders retrying against each other cannot
    /// each hold what the other lacks. Older orders reserve inside a critical section over every SKU entity they may
    /// touch (their SKUs and substitutes, sorted) and replay so.
    /// </para>
    /// </summary>
    private async Task<IReadOnlyList<ReservationOutcome>> TryReserveAllAsync(bool oneByOne = false)
    {
        var progress = this.Progress;
        progress.ResetReservation();

        // What is still wanted after early line cancellations; digital units need no stock.
        var wanted = state.Order.DemandBySku()
            .Select(d => new KeyValuePair<string, int>(d.Key, d.Value - progress.LinesCancelledEarly.GetValueOrDefault(d.Key)))
            .Where(d => d.Value > 0)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        // From revision 17 one activity reads the policies (first attempt), the stock and routes (see PlanReservationActivity).
        var plan = state.Input.Runs(OrderWorkflowVersions.ReservationPlannedInOneStep)
            ? await steps.StepAsync<ReservationPlan>(nameof(PlanReservationActivity), new PlanReservationRequest(
                OrderId, this.Skus, wanted.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), this.policies))
            : null;
        if (plan is not null && this.policies is null)
        {
            this.KeepPolicies(plan.Policies);
        }

        progress.DigitalUnits.Clear();
        foreach (var (sku, units) in wanted.Where(d => state.Policy(d.Key).Digital))
        {
            progress.DigitalUnits[sku] = units;
        }

        var demand = wanted.Where(d => !state.Policy(d.Key).Digital).ToList();
        var round = new Round(new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + state.Input.Settings.ReservationHold);
        if (demand.Count == 0)
        {
            return round.Shortages;
        }

        if (state.Input.Runs(OrderWorkflowVersions.ReservesWithoutLock))
        {
            IReadOnlyList<StockView> stock;
            if (plan?.Decision is { } routed)
            {
                stock = plan.Stock;
                round.Preferred = routed.StockAllocationsBySku();
            }
            else
            {
                stock = await this.RouteAsync(demand, round, fanOut: true);
            }

            var backorder = demand.Where(d => state.Policy(d.Key).Policy == OutOfStockPolicies.Backorder).ToList();
            await this.ReserveLinesAsync(demand.Except(backorder).ToList(), round, fanOut: !oneByOne, stopAtFirstShortage: oneByOne);
            if (round.Shortages.Count == 0)
            {
                await this.ReserveLinesAsync(backorder, round, fanOut: true, stopAtFirstShortage: false);
            }
            else if (oneByOne)
            {
                // The SKUs not tried after the first shortage: the read shows which of them would have fallen short too.
                var stockBySku = stock.ToDictionary(v => v.Sku, StringComparer.Ordinal);
                round.Shortages.AddRange(demand.Except(backorder)
                    .SkipWhile(d => d.Key != round.Shortages[0].Sku).Skip(1)
                    .Where(d => state.Policy(d.Key).Policy != OutOfStockPolicies.Cancel && stockBySku[d.Key].Available < d.Value)
                    .Select(d => new ReservationOutcome(d.Key, false, d.Value, stockBySku[d.Key].Available, [])));
            }

            await this.GiveBackIfShortAsync(round);
        }
        else
        {
            var lockSkus = demand.Select(d => d.Key)
                .Concat(demand.Select(d => state.Policy(d.Key)).Where(p => p.Policy == OutOfStockPolicies.Substitute && p.SubstituteSku is not null).Select(p => p.SubstituteSku!))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            await using (await context.Entities.LockEntitiesAsync(lockSkus.Select(DurableCalls.Inventory).ToArray()))
            {
                var fanOut = state.Input.Runs(OrderWorkflowVersions.EntityCallsFannedOut);
                await this.RouteAsync(demand, round, fanOut);
                await this.ReserveLinesAsync(demand, round, fanOut, stopAtFirstShortage: false);

                // Still inside the lock: nobody observed the partial holds or queue places.
                await this.GiveBackIfShortAsync(round);
            }
        }

        // Units the released holds free may go to waiting orders, told once nothing is locked.
        foreach (var release in round.Released)
        {
            await steps.TellFilledAsync(release);
        }

        foreach (var alert in round.Alerts)
        {
            await StockEvents.AfterChangeAsync(context, alert.Sku, [], alert, steps.Calls.Retry);
        }

        return round.Shortages;
    }

    /// <summary>
    /// Routing decides where each SKU comes from (one location when possible, fewest shipments) on a read of the SKUs'
    /// stock; the reservation then asks for exactly that allocation (without a lock, a SKU whose stock moved since the
    /// read allocates from what it has). Returns the read.
    /// </summary>
    private async Task<IReadOnlyList<StockView>> RouteAsync(IReadOnlyList<KeyValuePair<string, int>> demand, Round round, bool fanOut)
    {
        var stock = new List<StockView>(demand.Count);
        if (fanOut)
        {
            stock.AddRange(await Task.WhenAll(demand.Select(d => steps.Calls.InventoryAsync<StockView>(this.shards.ReadKey(d.Key), nameof(InventoryEntity.Get), null))));
        }
        else
        {
            foreach (var (sku, _) in demand)
            {
                stock.Add(await steps.Calls.InventoryAsync<StockView>(sku, nameof(InventoryEntity.Get), null));
            }
        }

        var routed = await steps.StepAsync<AllocationDecision>(nameof(PlanAllocationActivity), AllocationRequest.FromStock(OrderId, demand.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), stock));
        round.Preferred = routed.StockAllocationsBySku();
        return stock;
    }

    /// <summary>
    /// Reserves <paramref name="lines"/> under their policies. With <paramref name="fanOut"/> each SKU's first call is
    /// sent together with the others and their outcomes are taken in SKU order; a substitute is tried after them.
    /// </summary>
    private async Task ReserveLinesAsync(IReadOnlyList<KeyValuePair<string, int>> lines, Round round, bool fanOut, bool stopAtFirstShortage)
    {
        var progress = this.Progress;
        var calls = steps.Calls;
        Task<ReservationOutcome> ReserveAsync(string sku, int quantity) => this.shards.ReserveAsync(sku,
            new ReserveStockRequest(OrderId, quantity, round.ExpiresAt, state.Policy(sku).Policy == OutOfStockPolicies.Backorder, round.Preferred.GetValueOrDefault(sku)));

        var firstCalls = fanOut ? await Task.WhenAll(lines.Select(d => ReserveAsync(d.Key, d.Value))) : null;
        var next = 0;
        foreach (var (sku, quantity) in lines)
        {
            var policy = state.Policy(sku);
            var outcome = firstCalls is not null ? firstCalls[next++] : await ReserveAsync(sku, quantity);
            round.Collect(outcome);
            if (outcome.Succeeded)
            {
                progress.Reservations.Add(outcome);
                if (outcome.Backordered > 0)
                {
                    progress.Backorders[sku] = outcome.Backordered;
                }

                continue;
            }

            if (policy.Policy == OutOfStockPolicies.Substitute && policy.SubstituteSku is { } substitute && !state.Order.DemandBySku().ContainsKey(substitute))
            {
                var replaced = await calls.InventoryAsync<ReservationOutcome>(substitute, nameof(InventoryEntity.Reserve), new ReserveStockRequest(OrderId, quantity, round.ExpiresAt));
                round.Collect(replaced);
                if (replaced.Succeeded)
                {
                    progress.Reservations.Add(replaced);
                    progress.Substitutions[sku] = substitute;
                    continue;
                }
            }

            if (policy.Policy == OutOfStockPolicies.Cancel)
            {
                progress.CancelledUnits[sku] = quantity;
                continue;
            }

            round.Shortages.Add(outcome);
            if (stopAtFirstShortage)
            {
                return;
            }
        }
    }

    /// <summary>All or nothing: after a shortage every hold taken in this attempt is released (their units may fill waiting orders).</summary>
    private async Task GiveBackIfShortAsync(Round round)
    {
        if (round.Shortages.Count == 0)
        {
            return;
        }

        foreach (var held in this.Progress.Reservations)
        {
            round.Released.Add(await steps.ReleaseHoldAsync(held.Sku));
        }

        this.Progress.ResetReservation();
    }

    /// <summary>What one reservation attempt asked for and found.</summary>
    private sealed class Round(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public IReadOnlyDictionary<string, IReadOnlyList<StockAllocation>> Preferred { get; set; } = new Dictionary<string, IReadOnlyList<StockAllocation>>();

        public List<ReservationOutcome> Shortages { get; } = [];

        public List<LowStockAlert> Alerts { get; } = [];

        public List<StockRelease> Released { get; } = [];

        public void Collect(ReservationOutcome outcome)
        {
            if (outcome.LowStock is { } alert)
            {
                this.Alerts.Add(alert);
            }
        }
    }
}
