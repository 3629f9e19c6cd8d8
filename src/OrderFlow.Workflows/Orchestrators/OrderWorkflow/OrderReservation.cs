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
/// Reserves the order's stock, all or nothing, inside one critical section over the SKU entities, applying each SKU's
/// out-of-stock policy (backorder, substitute, cancel the line, escalate); an OutOfStock case per failed round. Then
/// tells the timeline and the customer what was decided per SKU.
/// </summary>
internal sealed class OrderReservation(TaskOrchestrationContext context, OrderState state, OrderSteps steps, PaymentGate payments)
{
    private string OrderId => state.OrderId;

    private OrderProgress Progress => state.Progress;

    /// <summary>True when something was reserved, backordered or is digital; false when a person (or the deadline) gave up.</summary>
    public async Task<bool> ReserveAsync()
    {
        var skus = state.Order.DemandBySku().Keys.Order(StringComparer.Ordinal).ToList();
        var read = await steps.StepAsync<IReadOnlyList<StockPolicy>>(nameof(GetStockPoliciesActivity), skus);
        state.Policies = read.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            await payments.CheckAsync("reserve");
            context.SetCustomStatus("reserve");
            var shortages = await this.TryReserveAllAsync();
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

        await steps.SetStatusAsync(OrderStatus.Reserved, $"Stock: {string.Join("; ", parts)}.");

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
    /// Reservation inside a critical section over every SKU entity the order may touch (its SKUs and their
    /// substitutes, sorted). Demand is summed per SKU first, so two lines of one SKU cannot oversell it. Per SKU the
    /// policy decides what a shortage means: Backorder reserves what exists and queues the rest, Substitute reserves
    /// the substitute, Cancel drops the line, Escalate (and a failed substitute) is a shortage: then every hold is
    /// released before anyone sees it and the shortages are returned (all or nothing).
    /// </summary>
    private async Task<IReadOnlyList<ReservationOutcome>> TryReserveAllAsync()
    {
        var progress = this.Progress;
        var calls = steps.Calls;
        progress.ResetReservation();

        // What is still wanted after early line cancellations; digital units need no stock.
        var wanted = state.Order.DemandBySku()
            .Select(d => new KeyValuePair<string, int>(d.Key, d.Value - progress.LinesCancelledEarly.GetValueOrDefault(d.Key)))
            .Where(d => d.Value > 0)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        progress.DigitalUnits.Clear();
        foreach (var (sku, units) in wanted.Where(d => state.Policy(d.Key).Digital))
        {
            progress.DigitalUnits[sku] = units;
        }

        var demand = wanted.Where(d => !state.Policy(d.Key).Digital).ToList();

        var lockSkus = demand.Select(d => d.Key)
            .Concat(demand.Select(d => state.Policy(d.Key)).Where(p => p.Policy == OutOfStockPolicies.Substitute && p.SubstituteSku is not null).Select(p => p.SubstituteSku!))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var expiresAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + state.Input.Settings.ReservationHold;
        var shortages = new List<ReservationOutcome>();
        var alerts = new List<LowStockAlert>();
        var released = new List<StockRelease>();

        if (demand.Count == 0)
        {
            return shortages;
        }

        await using (await context.Entities.LockEntitiesAsync(lockSkus.Select(DurableCalls.Inventory).ToArray()))
        {
            // Routing decides where each SKU comes from (one location when possible, fewest shipments), on the
            // availability read inside the lock; the reservation then holds exactly that allocation.
            var fanOut = state.Input.Runs(OrderWorkflowVersions.EntityCallsFannedOut);
            var stock = new List<StockView>(demand.Count);
            if (fanOut)
            {
                stock.AddRange(await Task.WhenAll(demand.Select(d => calls.InventoryAsync<StockView>(d.Key, nameof(InventoryEntity.Get), null))));
            }
            else
            {
                foreach (var (sku, _) in demand)
                {
                    stock.Add(await calls.InventoryAsync<StockView>(sku, nameof(InventoryEntity.Get), null));
                }
            }

            var routed = await steps.StepAsync<AllocationDecision>(nameof(PlanAllocationActivity), AllocationRequest.FromStock(OrderId, demand.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), stock));
            var preferred = routed.StockAllocationsBySku();

            Task<ReservationOutcome> ReserveAsync(string sku, int quantity) => calls.InventoryAsync<ReservationOutcome>(sku, nameof(InventoryEntity.Reserve),
                new ReserveStockRequest(OrderId, quantity, expiresAt, state.Policy(sku).Policy == OutOfStockPolicies.Backorder, preferred.GetValueOrDefault(sku)));

            // Each SKU's first reservation call is independent of the others; their outcomes are then taken in order.
            var firstCalls = fanOut ? await Task.WhenAll(demand.Select(d => ReserveAsync(d.Key, d.Value))) : null;
            var next = 0;
            foreach (var (sku, quantity) in demand)
            {
                var policy = state.Policy(sku);
                var outcome = firstCalls is not null ? firstCalls[next++] : await ReserveAsync(sku, quantity);
                Collect(outcome, alerts);
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
                    var replaced = await calls.InventoryAsync<ReservationOutcome>(substitute, nameof(InventoryEntity.Reserve), new ReserveStockRequest(OrderId, quantity, expiresAt));
                    Collect(replaced, alerts);
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

                shortages.Add(outcome);
            }

            if (shortages.Count > 0)
            {
                // Still inside the lock: nobody observed the partial holds or queue places. Units they free may go
                // to waiting orders, which are told once the lock is released.
                foreach (var held in progress.Reservations)
                {
                    released.Add(await steps.ReleaseHoldAsync(held.Sku));
                }

                progress.ResetReservation();
            }
        }

        foreach (var release in released)
        {
            await steps.TellFilledAsync(release);
        }

        foreach (var alert in alerts)
        {
            await StockEvents.AfterChangeAsync(context, alert.Sku, [], alert, steps.Calls.Retry);
        }

        return shortages;
    }

    private static void Collect(ReservationOutcome outcome, List<LowStockAlert> alerts)
    {
        if (outcome.LowStock is { } alert)
        {
            alerts.Add(alert);
        }
    }
}
