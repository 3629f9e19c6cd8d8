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
/// One parcel's path: label (an AddressInvalid case when the carrier refuses the address), hand-off, the wait for the
/// location's confirmation (re-routing what it rejected or could not pick, a case when it does not answer), the recall
/// of a parcel dropped after its hand-off, then the stock commit, the record and the Shipped email (from
/// <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/> the hand-off's and the Shipped email's activities write the
/// records that follow and precede them). It runs in the order
/// workflow before <see cref="OrderWorkflowVersions.FulfillmentAsChild"/> and in the Fulfillment child from it, and again
/// in the order workflow from <see cref="OrderWorkflowVersions.SingleParcelInline"/> when the order routed into one parcel
/// (<see cref="OrderState.ParcelsAsChildren"/>); what it needs from the workflow around it is <see cref="IParcelHost"/>.
/// </summary>
internal sealed class ParcelFlow(TaskOrchestrationContext context, OrderState state, OrderSteps steps, IParcelHost host)
{
    private const int MaxRounds = DurableCalls.MaxRounds;

    private readonly LocationRecall recall = new(context, state, steps);

    private string OrderId => state.OrderId;

    /// <summary>The order workflow's instance id, which the keys derive from (also inside a Fulfillment child).</summary>
    private string KeyId => state.KeyInstanceId ?? context.InstanceId;

    private OrderProgress Progress => state.Progress;

    /// <summary>
    /// Label, hand-off, wait for the location's confirmation, commit stock, tell the customer (the checkpoints before the
    /// label are the caller's). Returns what shipped (this parcel, or the part of it that shipped) and the fulfillments its
    /// rejected or short units were re-routed to (not started yet).
    /// </summary>
    public async Task<(List<PlannedFulfillment> Shipped, IReadOnlyList<PlannedFulfillment> Rerouted)> RunAsync(PlannedFulfillment plan, int depth)
    {
        var label = await this.BuyLabelAsync(plan);
        if (label is null)
        {
            await steps.RecordFulfillmentAsync(plan, "cancelled", null);
            return ([], []);
        }

        await host.CheckPaymentAsync($"dispatch-{plan.FulfillmentId}");
        var carried = state.Input.Runs(OrderWorkflowVersions.FulfillmentRecordWithStep);
        var recalls = state.Input.Runs(OrderWorkflowVersions.CancellationReachesLocation);

        // From here a cancellation must reach the location. From revision 20 the parcel is registered before the hand-off
        // is tried, so one whose step failed (the location may hold it, or the record the step carried was not written)
        // and that a person or the store then cancels is recalled too; before, once the hand-off succeeded.
        var registerFirst = recalls && state.Input.Runs(OrderWorkflowVersions.RecallFromHandOffAttempt);
        if (registerFirst)
        {
            state.AtLocation[plan.FulfillmentId] = (plan, label);
        }

        await steps.StepAsync<string>(nameof(DispatchFulfillmentActivity), new FulfillmentDispatch(
            OrderId, plan.FulfillmentId, plan.Location, plan.Lines, label.TrackingNumber, OrderIds.IdempotencyKey(this.KeyId, $"dispatch-{plan.FulfillmentId}"),
            Then: carried ? steps.FulfillmentUpdateFor(plan, "awaiting-confirmation", label) : null));
        if (recalls && !registerFirst)
        {
            state.AtLocation[plan.FulfillmentId] = (plan, label);
        }

        if (!carried)
        {
            await steps.RecordFulfillmentAsync(plan, "awaiting-confirmation", label);
        }

        var result = await this.WaitForShipmentAsync(plan, label, depth);
        var tooLate = false;
        ExceptionReason? unconfirmed = null;
        if (recalls && result.Shipped is null)
        {
            // Dropped after the hand-off (stopped by a cancellation, dropped by a person, or refused): tell the
            // location unless it refused, and void the label unless the parcel left anyway.
            var why = host.Stopped ? "order-cancelled" : "fulfillment-dropped";
            var (outcome, lines) = await this.recall.RecallAsync(plan, label, !result.LocationDeclined, why);
            if (outcome == RecallOutcome.Shipped)
            {
                result = result with { Shipped = this.ShippedPart(plan, lines) };
                tooLate = host.CancellationRequested;
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

        return (shipped, result.Rerouted);
    }

    /// <summary>
    /// When a cancellation unwinds the workflow (from revision 6; from revision 12 in the Fulfillment child, and from revision
    /// 18 in the order workflow again for a one-parcel order): recalls every
    /// fulfillment still at its location (told to cancel, label voided). Returns those that had already shipped, now treated
    /// as shipped (stock committed, the customer told with the tracking that the cancellation could not stop them).
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
                await this.ShipAsync(part, label, tooLate: host.CancellationRequested);
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
        host.Shipping();
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

        var details = tooLate ? new Dictionary<string, string> { [CustomerNotification.DetailKeys.Reason] = FulfillmentWaves.CancelTooLate } : null;
        var shippedEmail = new CustomerNotification(OrderId, Milestone.Shipped, part.FulfillmentId, null, details);
        if (state.Input.Runs(OrderWorkflowVersions.FulfillmentRecordWithStep))
        {
            // The record is written by the email's activity, before the email.
            await steps.NotifyAfterRecordAsync(shippedEmail, steps.FulfillmentUpdateFor(part, "shipped", label));
            return;
        }

        await steps.RecordFulfillmentAsync(part, "shipped", label);
        await steps.NotifyAsync(shippedEmail);
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
            var outcome = await steps.StepAsync<LabelOutcome>(nameof(BuyLabelActivity), new BuyLabelRequest(OrderId, plan, attempt, state.KeyInstanceId));
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
            var confirmation = await host.WaitAsync<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(plan.FulfillmentId), timeout, stoppable: true);
            if (confirmation is null && host.Stopped)
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
                var (plans, unmoved) = await host.RerouteAsync(plan, shortLines);
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
                var (plans, unmoved) = await host.RerouteAsync(plan, plan.Lines);
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
