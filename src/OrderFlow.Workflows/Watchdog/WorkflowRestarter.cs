using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Watchdog;

/// <summary>How a restart request on a WorkflowFailed case ended.</summary>
public enum RestartOutcome
{
    /// <summary>A new run replaced the ended one.</summary>
    Restarted,

    /// <summary>This case's restart had already started the current run (a redelivered decision): nothing done.</summary>
    AlreadyRestarted,

    /// <summary>No instance has the order's id, or it has not ended Failed or Terminated (it runs, or completed).</summary>
    NotEnded,

    /// <summary>The recorded progress does not allow a safe resume (<see cref="RestartResult.Message"/> says why).</summary>
    Refused,
}

/// <summary>The outcome of a restart request and, when refused, why (no customer data).</summary>
public sealed record RestartResult(RestartOutcome Outcome, string Message);

/// <summary>
/// Restarts the order workflow of a WorkflowFailed case from its failed step: the durable engines here cannot rewind
/// every instance (the in-memory backend has no rewind; Azure Storage rewinds only Failed ones, not Terminated), so a new
/// run replaces the ended one under the same instance id (the order id) with the same input plus a
/// <see cref="WorkflowRestart"/> and revision <see cref="OrderWorkflowVersions.Current"/>. The same id keeps intake's
/// dedupe, event routing and the status page, and makes every outbound call repeat its idempotency key; the run resumes
/// from the order's recorded progress (<see cref="RestartPlan"/>). Cancel restarts it to cancel the normal way.
/// Idempotent per case: the new run's input names the case, so a redelivered decision does not restart twice.
/// Child workflows the ended run left running (a refund waiting for a person, a parcel waiting for its location) are
/// terminated first, so nothing pays out or ships beside the new run (which refunds and fulfills through children of its
/// own, under the same idempotency keys).
/// Where a split SKU's units are held (<see cref="WorkflowRestart.StockHeldAt"/>) is read through the SKU's entities, so
/// the new run commits or releases them at the shard that holds them (<paramref name="inventory"/> names the split SKUs).
/// </summary>
public sealed partial class WorkflowRestarter(IOrderStore orders, TimeProvider clock, ILogger<WorkflowRestarter> logger, IOptions<InventoryOptions>? inventory = null)
{
    /// <summary>How long a restart waits for a child workflow of the ended run to stop before it refuses (try again).</summary>
    public static readonly TimeSpan ChildStopWait = TimeSpan.FromSeconds(30);

    /// <summary>Refund children a run may have started (a cancellation's and a settlement's; more is never asked for).</summary>
    private const int MaxChildren = 10;

    /// <summary>Null when the order's workflow can be restarted now (<paramref name="cancel"/>: to cancel it), else why not.</summary>
    public async Task<RestartResult?> CheckAsync(IWorkflowClient workflows, string orderId, string caseId, bool cancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var input = await workflows.GetInputAsync<OrderWorkflowInput>(orderId, cancellationToken);
        if (input?.Restart?.CaseId == caseId)
        {
            return new RestartResult(RestartOutcome.AlreadyRestarted, $"Case {caseId} already restarted the workflow (restart {input.Restart.Attempt}).");
        }

        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (input is null || status is null || status.RuntimeStatus is not ("Failed" or "Terminated"))
        {
            return new RestartResult(RestartOutcome.NotEnded, $"The workflow of order {orderId} is {status?.RuntimeStatus ?? "not found"}: only a Failed or Terminated one is restarted.");
        }

        var record = await orders.GetAsync(orderId, cancellationToken);
        if (record is null)
        {
            return new RestartResult(RestartOutcome.Refused, $"Order {orderId} is not recorded: there is no progress to resume from.");
        }

        var why = RestartPlan.WhyNot(new RecordedProgress(record.Status, record.Fulfillments), cancel);
        return why is null ? null : new RestartResult(RestartOutcome.Refused, $"Order {orderId} cannot be {(cancel ? "cancelled" : "restarted")} by a restart: {why}.");
    }

    /// <summary>Restarts the order's ended workflow to resume (or, with <paramref name="cancel"/>, to cancel the order) for case <paramref name="caseId"/>.</summary>
    public async Task<RestartResult> RestartAsync(IWorkflowClient workflows, string orderId, string caseId, bool cancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (await this.CheckAsync(workflows, orderId, caseId, cancel, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var input = (await workflows.GetInputAsync<OrderWorkflowInput>(orderId, cancellationToken))!;
        if (await this.StopChildrenAsync(workflows, input, caseId, cancellationToken) is { } busy)
        {
            return busy;
        }

        var attempt = (input.Restart?.Attempt ?? 0) + 1;
        var heldAt = await this.FindSplitHoldsAsync(workflows, orderId, cancellationToken);
        var next = input with { Version = OrderWorkflowVersions.Current, Restart = new WorkflowRestart(attempt, caseId, cancel, heldAt) };
        if (!await workflows.RestartAsync(nameof(OrderOrchestrator), orderId, next, cancellationToken))
        {
            // Lost a race: another restart (or this one, redelivered) started the run first.
            return await this.CheckAsync(workflows, orderId, caseId, cancel, cancellationToken)
                ?? new RestartResult(RestartOutcome.NotEnded, $"The workflow of order {orderId} could not be replaced; try again.");
        }

        var what = cancel ? "to cancel the order" : "from its recorded progress";
        await orders.AppendTimelineAsync(orderId, new TimelineEntry(clock.GetUtcNow(), "workflow", $"Workflow restarted {what} (restart {attempt}, case {caseId})."), cancellationToken);
        LogRestarted(orderId, attempt, caseId, cancel);
        return new RestartResult(RestartOutcome.Restarted, $"The workflow of order {orderId} restarted {what} (restart {attempt}).");
    }

    /// <summary>
    /// Terminates the ended run's refund children that still run ("{runId}:refund-{n}", numbered from 1 without gaps) and
    /// its Fulfillment children ("{runId}:{fulfillmentId}"), and waits until each has ended, so its end reaches the ended
    /// run and not the new one (and a stopped parcel does not ship beside the new run's). Null when none is left running.
    /// </summary>
    private async Task<RestartResult?> StopChildrenAsync(IWorkflowClient workflows, OrderWorkflowInput input, string caseId, CancellationToken cancellationToken)
    {
        for (var n = 1; n <= MaxChildren; n++)
        {
            var childId = RefundWorkflowInput.InstanceIdFor(input.RunId, n);
            var stopped = await this.StopChildAsync(workflows, input.OrderId, childId, caseId, cancellationToken);
            if (stopped is null)
            {
                break;
            }

            if (stopped is false)
            {
                return new RestartResult(RestartOutcome.Refused, $"Order {input.OrderId}: the ended run's refund {childId} has not stopped yet; try again.");
            }
        }

        // From FulfillmentAsChild each parcel ran in a child ("{runId}:{fulfillmentId}"); every fulfillment was recorded
        // before its child started, so the recorded ones name every child the run may have left running. From
        // SingleParcelInline a one-parcel order ran its parcels itself: no such instance exists and nothing is stopped.
        if (input.Runs(OrderWorkflowVersions.FulfillmentAsChild) && await orders.GetAsync(input.OrderId, cancellationToken) is { } record)
        {
            foreach (var fulfillment in record.Fulfillments)
            {
                var childId = FulfillmentWorkflowInput.InstanceIdFor(input.RunId, fulfillment.FulfillmentId);
                if (await this.StopChildAsync(workflows, input.OrderId, childId, caseId, cancellationToken) is false)
                {
                    return new RestartResult(RestartOutcome.Refused, $"Order {input.OrderId}: the ended run's fulfillment {childId} has not stopped yet; try again.");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Terminates one child of the ended run if it still runs and waits until it has ended: null when there is no such
    /// instance, true when it has ended (now or before), false when it did not stop in time.
    /// </summary>
    private async Task<bool?> StopChildAsync(IWorkflowClient workflows, string orderId, string childId, string caseId, CancellationToken cancellationToken)
    {
        var status = await workflows.GetStatusAsync(childId, cancellationToken);
        if (status is null)
        {
            return null;
        }

        if (status.IsTerminal)
        {
            return true;
        }

        await workflows.TerminateAsync(childId, $"The order's workflow is restarted (case {caseId}).", cancellationToken);
        if (await workflows.WaitForCompletionAsync(childId, ChildStopWait, cancellationToken) is not { IsTerminal: true })
        {
            return false;
        }

        LogChildStopped(orderId, childId, caseId);
        return true;
    }

    /// <summary>
    /// For each of the order's SKUs split across shard entities (<c>Inventory:SplitSkus</c> or automatically, now or
    /// before: <see cref="InventoryOptions.WasSplit"/>), the entity that holds the
    /// order's reservation or queue place, read through the SKU's own entity and every shard that may exist (a shard of
    /// a lowered count included): the ended run's record of it went with its history. Null when none is held.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>?> FindSplitHoldsAsync(IWorkflowClient workflows, string orderId, CancellationToken cancellationToken)
    {
        var split = inventory?.Value;
        if (split is not null)
        {
            await split.AutomaticSplits.RefreshAsync(cancellationToken);
        }

        var record = split is { AnySplit: true } ? await orders.GetAsync(orderId, cancellationToken) : null;
        if (record is null)
        {
            return null;
        }

        var heldAt = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var skus = record.Order.Lines.Select(l => l.Sku).Concat(record.Fulfillments.SelectMany(f => f.Lines).Select(l => l.Sku));
        foreach (var sku in skus.Where(split!.WasSplit).Distinct(StringComparer.Ordinal))
        {
            var entities = await WholeSkuStock.ReadEntitiesAsync(workflows, split, sku, cancellationToken);
            if (entities.FirstOrDefault(e => e.Stock.Reservations.ContainsKey(orderId) || e.Stock.Backorders.Any(b => b.OrderId == orderId)) is ({ } key, _))
            {
                heldAt[sku] = key;
                LogHeldAt(orderId, sku, key);
            }
        }

        return heldAt.Count > 0 ? heldAt : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: its {Sku} units are held at {Key}; the restarted run commits or releases them there")]
    private partial void LogHeldAt(string orderId, string sku, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: child workflow {ChildId} of the ended run terminated before restarting it (case {CaseId})")]
    private partial void LogChildStopped(string orderId, string childId, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: workflow restarted (restart {Attempt}) for case {CaseId}; cancel: {Cancel}")]
    private partial void LogRestarted(string orderId, int attempt, string caseId, bool cancel);
}
