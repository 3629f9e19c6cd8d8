using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// The order workflow's steps and holds: an activity that asks a person when it fails (and can cancel the order), the
/// status (OnHold while a case is open, back to the phase when the last one is resolved), escalation, customer emails,
/// fulfillment records and stock releases.
/// </summary>
internal sealed class OrderSteps(TaskOrchestrationContext context, OrderState state, DurableCalls calls, CaseDesk desk)
{
    public DurableCalls Calls => calls;

    public CaseDesk Desk => desk;

    private string OrderId => state.OrderId;

    /// <summary>
    /// Runs an activity under the durable retry policy. When it still fails after the retries, an UnhandledStepFailure
    /// case (step = activity name) asks a person: RetryStep runs it again, Cancel cancels the order (unwinding to the
    /// workflow's ExecuteAsync). Bounded: after <see cref="DurableCalls.MaxRounds"/> cases the order is cancelled. A step
    /// of the cancellation itself that a person gives up on fails the workflow.
    /// </summary>
    public Task<T> StepAsync<T>(string activity, object activityInput) =>
        calls.StepAsync<T>(
            activity,
            activityInput,
            (step, error) => this.EscalateAsync(ExceptionReason.UnhandledStepFailure, step, error),
            error => state.Cancelling ? null : state.Cancel($"Cancelled: step {activity} failed ({error})."),
            () =>
            {
                if (!state.Cancelling && (state.CancelSignal.Task.IsCompleted || state.UnwindRequested()))
                {
                    throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
                }
            });

    /// <summary>An activity under the retry policy only: for the case machinery itself and steps that handle failures.</summary>
    public Task<T> RawStepAsync<T>(string activity, object activityInput) => calls.ActivityAsync<T>(activity, activityInput);

    /// <summary>
    /// Moves the order to <paramref name="status"/>: the workflow's view (<see cref="Track"/>), then the stored order
    /// through <c>UpdateOrderStatusActivity</c>, unless <paramref name="carried"/> (revision 14: the activity that just
    /// ran wrote it, <see cref="StatusChangeFor"/>).
    /// </summary>
    public Task SetStatusAsync(OrderStatus status, string note, bool guarded = true, bool carried = false)
    {
        this.Track(status);
        if (carried)
        {
            return Task.CompletedTask;
        }

        var change = this.StatusChangeFor(status, note);
        return guarded ? this.StepAsync<bool>(nameof(UpdateOrderStatusActivity), change) : this.RawStepAsync<bool>(nameof(UpdateOrderStatusActivity), change);
    }

    /// <summary>
    /// The status change <see cref="SetStatusAsync"/> would send, for an activity to carry instead
    /// (<see cref="OrderWorkflowVersions.StatusWithStep"/>); the caller calls <see cref="Track"/> where
    /// <see cref="SetStatusAsync"/> would have run.
    /// </summary>
    public StatusChange StatusChangeFor(OrderStatus status, string note) => new(OrderId, status, note, state.Restart is not null);

    /// <summary>The workflow's own view of the status moves as <see cref="SetStatusAsync"/> moves it (OnHold keeps the phase).</summary>
    public void Track(OrderStatus status)
    {
        state.Current = status;
        if (status != OrderStatus.OnHold)
        {
            state.Phase = status;
        }
    }

    /// <summary>
    /// From <see cref="OrderWorkflowVersions.StatusWithStep"/>: a status the workflow moved to (<see cref="Track"/>ed) whose
    /// write waits for the next activity to carry it (<see cref="TakeDeferredStatus"/>).
    /// </summary>
    private StatusChange? deferred;

    /// <summary>Moves the workflow to <paramref name="status"/> now and leaves its write to the activity that follows.</summary>
    public void DeferStatus(OrderStatus status, string note)
    {
        this.Track(status);
        this.deferred = this.StatusChangeFor(status, note);
    }

    /// <summary>The deferred status change, for the activity that carries it (null when none waits).</summary>
    public StatusChange? TakeDeferredStatus()
    {
        var change = this.deferred;
        this.deferred = null;
        return change;
    }

    /// <summary>Writes a deferred status change on its own (before a step that is not the one meant to carry it).</summary>
    public Task WriteDeferredStatusAsync() =>
        this.TakeDeferredStatus() is { } change ? this.StepAsync<bool>(nameof(UpdateOrderStatusActivity), change) : Task.CompletedTask;

    /// <summary>
    /// Opens a case (durably, before alerting), puts the order on hold and waits for a person's decision.
    /// At the deadline the reason's declared default applies. The order leaves the hold when the last open case
    /// is resolved and the order goes on: any resolution but Cancel, or also Cancel when
    /// <paramref name="orderContinuesOnCancel"/> (the case drops one fulfillment or capture, not the order).
    /// From <see cref="OrderWorkflowVersions.CustomerToldOfHolds"/> the customer hears of the hold (see
    /// <see cref="TellHoldAsync"/>) and of its end (<see cref="TellResumedAsync"/>).
    /// </summary>
    public async Task<CaseResolution> EscalateAsync(ExceptionReason reason, string step, string error, bool orderContinuesOnCancel = false) =>
        (await this.EscalateForDecisionAsync(reason, step, error, orderContinuesOnCancel)).Resolution;

    /// <summary>
    /// <see cref="EscalateAsync"/> that also returns the person's decision (null when the deadline's default applied),
    /// for steps that need what the decision carries (a corrected address).
    /// </summary>
    public async Task<(CaseResolution Resolution, CaseDecision? Decision)> EscalateForDecisionAsync(
        ExceptionReason reason, string step, string error, bool orderContinuesOnCancel = false)
    {
        if (this.Relay is { } relay)
        {
            // A Fulfillment child: the case is its own, the hold is the order's.
            var id = await desk.OpenAsync(reason, step, step, error);
            context.SetCustomStatus($"on-hold:{id}");
            await relay.HeldAsync(reason, id);
            var decided = await desk.DecideAsync(id, reason);
            context.SetCustomStatus("fulfill");
            await relay.ResolvedAsync(id, decided.Resolution, decided.Resolution != CaseResolution.Cancel || orderContinuesOnCancel);
            return decided;
        }

        state.OpenCases++;
        var caseId = await desk.OpenAsync(reason, step, step, error);
        await this.HoldAsync(reason, caseId);
        var (resolution, decision) = await desk.DecideAsync(caseId, reason);
        await this.ResumeAsync(caseId, resolution, resolution != CaseResolution.Cancel || orderContinuesOnCancel);
        return (resolution, decision);
    }

    /// <summary>Set in a Fulfillment child: its holds are reported to the order workflow instead of kept here.</summary>
    public IHoldRelay? Relay { get; init; }

    /// <summary>
    /// A case (counted in <see cref="OrderState.OpenCases"/> by the caller) holds the order: OnHold, and the customer
    /// told where the reason is one they hear of.
    /// </summary>
    public async Task HoldAsync(ExceptionReason reason, string caseId)
    {
        await this.SetStatusAsync(OrderStatus.OnHold, $"On hold: {reason} (case {caseId}).", guarded: false);
        context.SetCustomStatus($"on-hold:{caseId}");
        context.CreateReplaySafeLogger<OrderOrchestrator>().LogWarning("Order {OrderId} escalated as {Reason} in case {CaseId}", OrderId, reason, caseId);
        await this.TellHoldAsync(reason, caseId);
    }

    /// <summary>A case was decided: the order leaves the hold when it was the last open case and the order goes on.</summary>
    public async Task ResumeAsync(string caseId, CaseResolution resolution, bool orderGoesOn)
    {
        state.OpenCases--;

        // Parallel fulfillments can hold the order together: resume from the last case only, and to the phase
        // before the first hold (not to OnHold, which is what a second concurrent case saw as "current").
        if (orderGoesOn && state.OpenCases == 0 && state.Current == OrderStatus.OnHold && OrderStatusMachine.CanTransition(OrderStatus.OnHold, state.Phase))
        {
            await this.SetStatusAsync(state.Phase, $"Resumed after case {caseId}: {resolution}.", guarded: false);
        }

        await this.TellResumedAsync(caseId, resolution);
        context.CreateReplaySafeLogger<OrderOrchestrator>().LogInformation("Order {OrderId} case {CaseId} resolved as {Resolution}", OrderId, caseId, resolution);
    }

    /// <summary>
    /// A stock shortage or an address being checked is told to the customer (OnHold with the reason, keyed by the
    /// case, so a redelivered activity sends it once) unless the customer already knows of the hold the order is in
    /// (parallel fulfillments can hold it together). Other reasons stay internal. Orders started before
    /// <see cref="OrderWorkflowVersions.CustomerToldOfHolds"/> told nobody.
    /// </summary>
    private async Task TellHoldAsync(ExceptionReason reason, string caseId)
    {
        var told = reason switch
        {
            ExceptionReason.OutOfStock => "out-of-stock",
            ExceptionReason.AddressInvalid => "address",
            _ => null,
        };
        if (told is null || state.HoldToldAs is not null || !state.Input.Runs(OrderWorkflowVersions.CustomerToldOfHolds))
        {
            return;
        }

        state.HoldToldAs = told;
        await this.NotifyAsync(new CustomerNotification(OrderId, Milestone.OnHold, null, caseId, new Dictionary<string, string>
        {
            [CustomerNotification.DetailKeys.Reason] = told,
        }));
    }

    /// <summary>
    /// When the last open case is resolved, the hold the customer was told of is over: Resumed (keyed by this case)
    /// unless the decision was Cancel, whose outcome has its own Cancelled email (the whole order; backordered units;
    /// or, for a parcel dropped while the order goes on, the not-shipped items at settlement, see
    /// <see cref="OrderState.ToldHoldDroppedGoods"/>).
    /// </summary>
    private async Task TellResumedAsync(string caseId, CaseResolution resolution)
    {
        if (state.HoldToldAs is not { } told)
        {
            return;
        }

        if (resolution == CaseResolution.Cancel)
        {
            state.ToldHoldDroppedGoods = true;
        }

        if (state.OpenCases > 0)
        {
            return;
        }

        state.HoldToldAs = null;
        if (resolution != CaseResolution.Cancel)
        {
            await this.NotifyAsync(new CustomerNotification(OrderId, Milestone.Resumed, null, caseId, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Reason] = told,
            }));
        }
    }

    /// <summary>
    /// Sends a customer message (once per key, through the outbox); an undeliverable one becomes a NotificationFailed
    /// case and the order goes on, since an email must never hold goods back.
    /// </summary>
    public Task NotifyAsync(CustomerNotification notification) => desk.NotifyAsync(notification, "notify");

    /// <summary>
    /// Follows a person's decision on an address case: CorrectAddress stores the corrected address (the step is then
    /// run again), RetryStep runs it again as is; false when the order (or fulfillment) gives up.
    /// </summary>
    public async Task<bool> ApplyAddressDecisionAsync(CaseResolution resolution, CaseDecision? decision)
    {
        if (resolution == CaseResolution.CorrectAddress && decision?.CorrectedAddress is { } corrected)
        {
            await this.StepAsync<bool>(nameof(UpdateShippingAddressActivity), new ShippingAddressCorrection(OrderId, corrected, decision.DecidedBy));
        }
        else if (resolution != CaseResolution.RetryStep && resolution != CaseResolution.CorrectAddress)
        {
            return false;
        }

        return true;
    }

    /// <summary>Records a fulfillment's new state on the order (<c>RecordFulfillmentActivity</c>, a step a person can retry).</summary>
    public Task RecordFulfillmentAsync(PlannedFulfillment plan, string status, ShippingLabel? label, ExceptionReason? holdReason = null) =>
        this.StepAsync<bool>(nameof(RecordFulfillmentActivity), this.FulfillmentUpdateFor(plan, status, label, holdReason));

    /// <summary>
    /// The record <see cref="RecordFulfillmentAsync"/> would send, for an activity to carry instead
    /// (<see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/>).
    /// </summary>
    public FulfillmentUpdate FulfillmentUpdateFor(PlannedFulfillment plan, string status, ShippingLabel? label, ExceptionReason? holdReason = null) =>
        new(OrderId, plan.FulfillmentId, plan.Location, plan.Lines, status, label, holdReason?.ToString());

    /// <summary>
    /// <see cref="NotifyAsync"/> with the fulfillment <paramref name="record"/> the notify activity writes first
    /// (<see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/>). When the record cannot be written (the email was not
    /// sent either), it is written as a step of its own and then the email sent, as before that revision.
    /// </summary>
    public async Task NotifyAfterRecordAsync(CustomerNotification notification, FulfillmentUpdate record)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            await this.NotifyAsync(notification with { Before = record });
            return;
        }
        catch (TaskFailedException ex) when (FulfillmentRecordWriter.IsNotRecorded(ex.FailureDetails))
        {
            context.CreateReplaySafeLogger<OrderOrchestrator>().LogWarning(
                "Order {OrderId}: {FulfillmentId} not recorded {Status} with the email; recording it on its own", OrderId, record.FulfillmentId, record.Status);
        }

        await this.StepAsync<bool>(nameof(RecordFulfillmentActivity), record);
        await this.NotifyAsync(notification);
    }

    /// <summary>Releases the order's holds on these SKUs; freed units go to waiting orders, whose workflows are told.</summary>
    public async Task ReleaseAsync(IEnumerable<string> skus, string reason)
    {
        foreach (var sku in skus.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var released = await calls.InventoryAsync<StockRelease>(state.StockKey(sku), nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, reason, state.Actor));
            await StockEvents.AfterChangeAsync(context, sku, released.Filled, null, calls.Retry);
        }
    }

    /// <summary>
    /// Releases one SKU's hold without telling the orders the freed units went to: pass the result to
    /// <see cref="TellFilledAsync"/> once the reservation attempt is over (and, before revision 9, its lock released).
    /// </summary>
    public Task<StockRelease> ReleaseHoldAsync(string sku) =>
        calls.InventoryAsync<StockRelease>(state.StockKey(sku), nameof(InventoryEntity.Release), new ReleaseStockRequest(OrderId, Domain.Inventory.StockReasons.Release, state.Actor));

    /// <summary>
    /// Tells each order that units freed by <paramref name="released"/> went to (BackorderFilled). Orders started
    /// before <see cref="OrderWorkflowVersions.StockReleasesTold"/> did not, and replay as they ran.
    /// </summary>
    public Task TellFilledAsync(StockRelease released)
    {
        ArgumentNullException.ThrowIfNull(released);
        return state.Input.Runs(OrderWorkflowVersions.StockReleasesTold)
            ? StockEvents.AfterChangeAsync(context, released.Sku, released.Filled, null, calls.Retry)
            : Task.CompletedTask;
    }

    /// <summary>
    /// The order stops waiting for backordered units of <paramref name="sku"/>; the units it holds (filled, reserved
    /// or handed to a location) stay held, so nothing that may still ship counts as available again. Orders started
    /// before <see cref="OrderWorkflowVersions.StockReleasesTold"/> released the SKU's whole hold, and replay so.
    /// </summary>
    public async Task LeaveBackorderAsync(string sku)
    {
        if (state.Input.Runs(OrderWorkflowVersions.StockReleasesTold))
        {
            await calls.InventoryAsync<int>(sku, nameof(InventoryEntity.LeaveQueue), OrderId);
            return;
        }

        await this.ReleaseHoldAsync(sku);
    }
}
