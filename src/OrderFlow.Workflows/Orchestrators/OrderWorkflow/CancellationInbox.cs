using Microsoft.DurableTask;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Cancellation requests to the order: one wait for the next request, taken at checkpoints between steps and during
/// every wait for an event (so a request arriving while the order waits is applied at once). A whole-order request
/// before anything shipped cancels the order; after a shipment it stops the unshipped fulfillments. A line request
/// drops units not yet reserved and takes backordered units out of the queue; the rest is reported as not stoppable.
/// </summary>
internal sealed class CancellationInbox(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    /// <summary>Cancellation request ids already applied.</summary>
    private readonly HashSet<string> handledCancelRequests = new(StringComparer.Ordinal);

    /// <summary>The wait for the next cancellation request; replaced after each one is taken.</summary>
    private Task<CancelOrderRequest>? cancelWait;

    private string OrderId => state.OrderId;

    /// <summary>The wait for the next request, for a caller that waits on other events too (null before <see cref="Listen"/>).</summary>
    public Task<CancelOrderRequest>? Next => this.cancelWait;

    /// <summary>Starts waiting for the first request (requests raised earlier are buffered by the engine).</summary>
    public void Listen() => this.cancelWait = context.WaitForExternalEvent<CancelOrderRequest>(CancelOrderRequest.EventName);

    /// <summary>
    /// A checkpoint between steps: takes a cancellation request that has arrived (never waits) and applies it.
    /// </summary>
    public async Task CheckAsync(string step)
    {
        if (state.Cancelling || this.cancelWait is not { IsCompletedSuccessfully: true } arrived)
        {
            return;
        }

        var request = await arrived;
        this.cancelWait = context.WaitForExternalEvent<CancelOrderRequest>(CancelOrderRequest.EventName);
        // A redelivered request (same id, e.g. a webhook sent twice) is applied once.
        if (request is not null && this.handledCancelRequests.Add(request.RequestId))
        {
            // A status left for the next activity to write (revision 14) is written first, as it was before.
            await steps.WriteDeferredStatusAsync();
            await this.ApplyAsync(request, step);
        }
    }

    /// <summary>Waits for an external event or the timeout; null means the deadline passed (or, when stoppable, the order stopped).</summary>
    public async Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout, bool stoppable = false)
        where T : class
    {
        using var cts = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), cts.Token);
        var evt = context.WaitForExternalEvent<T>(eventName, cts.Token);
        try
        {
            // A cancellation request arriving meanwhile is applied at once; a line cancellation lets the wait go on.
            for (var round = 0; round < DurableCalls.MaxRounds; round++)
            {
                // While the order is being cancelled, waits (for a decision on a failed cancellation step) ignore the signals.
                var candidates = new List<Task> { evt, deadline };
                var cancelRequest = this.cancelWait;
                if (!state.Cancelling)
                {
                    candidates.Add(state.CancelSignal.Task);
                    if (cancelRequest is not null)
                    {
                        candidates.Add(cancelRequest);
                    }

                    if (stoppable)
                    {
                        candidates.Add(state.StopSignal.Task);
                    }
                }

                var winner = await Task.WhenAny(candidates);
                if (winner == state.CancelSignal.Task)
                {
                    throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
                }

                // Parallel waits all wake on the request; the first takes it, the others find it taken and wait on.
                if (winner == cancelRequest)
                {
                    await this.CheckAsync($"wait-{eventName}");
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

    /// <summary>
    /// Awaits <paramref name="work"/> (a child workflow) while cancellation requests that arrive meanwhile are applied, as
    /// during a wait for an event; while the order is being cancelled it simply awaits.
    /// </summary>
    public async Task<T> WhileAsync<T>(Task<T> work)
    {
        for (var round = 0; round < DurableCalls.MaxRounds && !state.Cancelling && this.cancelWait is { } request; round++)
        {
            if (await Task.WhenAny(work, request) == work)
            {
                break;
            }

            await this.CheckAsync("refund");
        }

        return await work;
    }

    /// <summary>
    /// Applies a cancellation request. The whole order (no lines, or every unit): before anything shipped the order is
    /// cancelled (unwinding to the workflow's ExecuteAsync); after a shipment the unshipped fulfillments stop and what
    /// shipped is reported as not stoppable. Lines: units not yet reserved are dropped from the order, backordered units
    /// leave the queue; units already handed to a location are reported as not stoppable (a return handles them).
    /// </summary>
    private async Task ApplyAsync(CancelOrderRequest request, string step)
    {
        var progress = state.Progress;
        var demand = state.Order.DemandBySku();
        var lines = request.Lines is { Count: > 0 } requested
            ? requested.Where(l => demand.ContainsKey(l.Sku) && l.Quantity > 0).Select(l => l with { Quantity = Math.Min(l.Quantity, demand[l.Sku]) }).ToList()
            : demand.Select(d => new CancelLine(d.Key, d.Value)).ToList();
        var whole = lines.Sum(l => l.Quantity) >= demand.Values.Sum();
        var code = request.Reason is "customer-request" or "out-of-stock" or "payment" ? request.Reason : null;
        var cancelled = new List<CancelLine>();
        var notStopped = new List<string>();

        if (whole && !progress.AnyShipped)
        {
            state.Cancellation = request;
            await this.RecordCancellation(request, lines, notStopped);
            state.CancelCause = ($"Cancelled on request of {request.RequestedBy} ({request.Reason}).", code);
            throw state.Cancel(state.CancelCause.Value.Message, code);
        }

        if (whole)
        {
            state.Cancellation = request;
            notStopped.Add("Parcels already shipped cannot be cancelled; unshipped fulfillments are stopped.");
            state.StopSignal.TrySetResult();
            foreach (var (sku, units) in progress.Backorders.ToList())
            {
                await steps.LeaveBackorderAsync(sku);
                progress.CancelUnits(sku, units);
                cancelled.Add(new CancelLine(progress.OrderSku(sku), units));
            }

            progress.Backorders.Clear();
            await this.RecordCancellation(request, cancelled, notStopped);
            return;
        }

        foreach (var line in lines)
        {
            var reserved = progress.Reservations.Any(r => r.Sku == line.Sku || (progress.Substitutions.TryGetValue(line.Sku, out var sub) && r.Sku == sub));
            var waiting = progress.Backorders.TryGetValue(progress.Substitutions.GetValueOrDefault(line.Sku, line.Sku), out var queued) ? queued : 0;
            if (!reserved)
            {
                progress.LinesCancelledEarly[line.Sku] = Math.Min(demand[line.Sku], progress.LinesCancelledEarly.GetValueOrDefault(line.Sku) + line.Quantity);
                cancelled.Add(line);
            }
            else if (waiting > 0 && line.Quantity >= waiting)
            {
                var sku = progress.Substitutions.GetValueOrDefault(line.Sku, line.Sku);
                await steps.LeaveBackorderAsync(sku);
                progress.Backorders.Remove(sku);
                progress.CancelledUnits[line.Sku] = progress.CancelledUnits.GetValueOrDefault(line.Sku) + waiting;
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

        await this.RecordCancellation(request, cancelled, notStopped);
        if (cancelled.Count > 0 && request.NotifyCustomer)
        {
            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, $"lines-{request.RequestId}", new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(cancelled.Select(c => (c.Sku, c.Quantity))),
                [CustomerNotification.DetailKeys.Reason] = code ?? "customer-request",
            }));
        }

        if (progress.LinesCancelledEarly.Values.Sum() >= demand.Values.Sum())
        {
            state.Cancellation = request;
            state.CancelCause = ($"Cancelled on request of {request.RequestedBy} ({request.Reason}): every line was cancelled.", code);
            throw state.Cancel(state.CancelCause.Value.Message, code);
        }
    }

    private Task RecordCancellation(CancelOrderRequest request, IReadOnlyList<CancelLine> cancelled, IReadOnlyList<string> notStopped) =>
        steps.RawStepAsync<bool>(nameof(RecordCancellationActivity), new CancellationReport(OrderId, request.RequestId, request.RequestedBy, request.Reason, cancelled, notStopped));
}
