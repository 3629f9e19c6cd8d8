using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Watchdog;

/// <summary>
/// Finds orders nobody is moving and opens one case each for a person: (a) order workflows that ended Failed or
/// Terminated (a <see cref="ExceptionReason.WorkflowFailed"/> case), and (b) orders whose status has not changed for
/// longer than Watchdog:StuckAfter allows for that status (a <see cref="ExceptionReason.Stuck"/> case; an order whose
/// workflow failed is left to (a)), and (c) order workflows the engine accepted but never ran (still Pending past
/// Watchdog:StuckAfter:Received; the same Stuck case as an order stuck at Received: the workflow's first step records the
/// order, so without this nothing would see them, e.g. when no worker listens to the task hub partition holding the start). Case ids are fixed per finding, so a rerun opens nothing twice: the case is written
/// (idempotent), approvers are alerted best effort, and the order's timeline entry is written last and marks the finding
/// handled. No workflow waits on these cases, so no default is ever applied by itself. Runs from a timer in both hosts.
/// A decision on a WorkflowFailed case restarts the workflow (<see cref="WorkflowRestarter"/>); a restarted run that
/// ends again gets a case of its own (the id names the restart).
/// </summary>
public sealed partial class WorkflowWatchdog(
    IOrderStore orders, IExceptionQueue cases, IOptions<WatchdogOptions> options, TimeProvider clock, ILogger<WorkflowWatchdog> logger)
{
    /// <summary>How long a person may decide a watchdog case (no workflow waits on it, so no default follows).</summary>
    public static readonly TimeSpan CaseOpenFor = TimeSpan.FromDays(365);

    /// <summary>Timeline entries summarised in a case's error text, most recent last.</summary>
    public const int HistoryEntries = 3;

    private const int MaxHistoryEntryChars = 120;

    private static readonly string[] Ended = ["Failed", "Terminated"];

    private static readonly string[] NotStarted = ["Pending"];

    /// <summary>The WorkflowFailed case of a run that ended <paramref name="runtimeStatus"/>; a restarted run's (restart n) ends in "-rn".</summary>
    public static string FailedCaseId(string orderId, string runtimeStatus, int restart = 0) =>
        restart > 0 ? $"{orderId}-watchdog-failed-{runtimeStatus}-r{restart}" : $"{orderId}-watchdog-failed-{runtimeStatus}";

    public static string StuckCaseId(string orderId, Domain.Orders.OrderStatus status) => $"{orderId}-watchdog-stuck-{status}";

    public async Task<WatchdogReport> RunOnceAsync(IWorkflowClient workflows, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var settings = options.Value;
        int failed = 0, stuck = 0, opened = 0;

        foreach (var instance in await workflows.ListInstancesAsync(nameof(OrderOrchestrator), Ended, settings.MaxPerPass, cancellationToken))
        {
            failed++;
            var record = await orders.GetAsync(instance.InstanceId, cancellationToken);
            var restart = (await workflows.GetInputAsync<OrderWorkflowInput>(instance.InstanceId, cancellationToken))?.Restart?.Attempt ?? 0;
            var caseId = FailedCaseId(instance.InstanceId, instance.RuntimeStatus, restart);
            if (record is not null && OpenCaseActivity.WasOpened(record.Timeline, caseId))
            {
                continue;
            }

            var step = StepOf(instance.CustomStatus);
            var error = $"Workflow {instance.RuntimeStatus} at {instance.LastUpdated:o} (started {instance.CreatedAt:o}) during step '{step}': "
                + $"{(string.IsNullOrWhiteSpace(instance.Failure) ? "no failure recorded" : instance.Failure)}. "
                + $"Order status {(record is null ? "not recorded" : record.Status.ToString())}; {History(record)}";
            await OpenAsync(new OpenCaseRequest(
                caseId, instance.InstanceId, ExceptionReason.WorkflowFailed, step, BestEffortAlert.Redact(error),
                CasePolicy.AllowedResolutions(ExceptionReason.WorkflowFailed), asOf + CaseOpenFor), record is not null, cancellationToken);
            opened++;
            LogFailedWorkflow(instance.InstanceId, instance.RuntimeStatus, caseId);
        }

        foreach (var (status, after) in settings.Thresholds())
        {
            foreach (var order in await orders.ListOrdersInStatusAsync(status, asOf - after, settings.MaxPerPass, cancellationToken))
            {
                var record = await orders.GetAsync(order.OrderId, cancellationToken);
                var caseId = StuckCaseId(order.OrderId, status);
                if (record is null || record.Status != status || OpenCaseActivity.WasOpened(record.Timeline, caseId))
                {
                    continue; // moved on since the query, or reported already
                }

                var workflow = await workflows.GetStatusAsync(order.OrderId, cancellationToken);
                if (workflow is not null && Ended.Contains(workflow.RuntimeStatus))
                {
                    continue; // the WorkflowFailed case covers it
                }

                stuck++;
                var step = StepOf(workflow?.CustomStatus);
                var error = $"Order {status} since {order.Since:o}, longer than {WatchdogOptions.Section}:{nameof(WatchdogOptions.StuckAfter)}:{status} ({after}) "
                    + $"as of {asOf:o}; workflow {workflow?.RuntimeStatus ?? "not found"} at step '{step}'"
                    + $"{(workflow?.LastUpdated is { } updated ? $" since {updated:o}" : string.Empty)}; {History(record)}";
                await OpenAsync(new OpenCaseRequest(
                    caseId, order.OrderId, ExceptionReason.Stuck, step, BestEffortAlert.Redact(error),
                    CasePolicy.AllowedResolutions(ExceptionReason.Stuck), asOf + CaseOpenFor), recorded: true, cancellationToken);
                opened++;
                LogStuckOrder(order.OrderId, status.ToString(), order.Since, caseId);
            }
        }

        var received = settings.Thresholds().FirstOrDefault(t => t.Status == Domain.Orders.OrderStatus.Received).After;
        if (received > TimeSpan.Zero)
        {
            foreach (var instance in await workflows.ListInstancesAsync(nameof(OrderOrchestrator), NotStarted, settings.MaxPerPass, cancellationToken))
            {
                var record = await orders.GetAsync(instance.InstanceId, cancellationToken);
                var caseId = StuckCaseId(instance.InstanceId, Domain.Orders.OrderStatus.Received);
                if (instance.CreatedAt > asOf - received || (record is not null && OpenCaseActivity.WasOpened(record.Timeline, caseId)))
                {
                    continue; // not late yet, or reported already (a case store write is idempotent when no order record marks it)
                }

                stuck++;
                var error = $"Workflow accepted at {instance.CreatedAt:o} has not started running as of {asOf:o} (Pending, longer than "
                    + $"{WatchdogOptions.Section}:{nameof(WatchdogOptions.StuckAfter)}:{nameof(Domain.Orders.OrderStatus.Received)} ({received})): "
                    + $"the engine has not taken its start message; order {(record is null ? "not recorded yet" : record.Status.ToString())}";
                await OpenAsync(new OpenCaseRequest(
                    caseId, instance.InstanceId, ExceptionReason.Stuck, "start", BestEffortAlert.Redact(error),
                    CasePolicy.AllowedResolutions(ExceptionReason.Stuck), asOf + CaseOpenFor), record is not null, cancellationToken);
                opened++;
                LogNotStarted(instance.InstanceId, instance.CreatedAt, caseId);
            }
        }

        return new WatchdogReport(failed, stuck, opened);
    }

    /// <summary>Writes the case, alerts best effort (a failure is recorded on the case), then marks the order's timeline.</summary>
    private async Task OpenAsync(OpenCaseRequest request, bool recorded, CancellationToken cancellationToken)
    {
        await cases.OpenAsync(request, cancellationToken);
        var failure = await BestEffortAlert.TryAsync(() => cases.AlertAsync(request.CaseId, cancellationToken), clock, cancellationToken);
        if (failure is not null)
        {
            LogAlertFailed(request.OrderId, request.CaseId, failure);
            await OpenCaseActivity.RecordAlertFailureAsync(cases, request.CaseId, $"Approver alert failed: {failure}", logger);
        }

        if (recorded)
        {
            await orders.AppendTimelineAsync(request.OrderId, OpenCaseActivity.OpenedEntry(request, clock.GetUtcNow()), cancellationToken);
        }
    }

    /// <summary>The step the workflow last announced (its custom status, a JSON string), or "unknown".</summary>
    private static string StepOf(string? customStatus)
    {
        if (string.IsNullOrWhiteSpace(customStatus))
        {
            return "unknown";
        }

        try
        {
            return JsonSerializer.Deserialize<string>(customStatus) ?? "unknown";
        }
        catch (JsonException)
        {
            return customStatus;
        }
    }

    /// <summary>The last few timeline entries ("kind: message"), which hold no customer data by the timeline's own rule.</summary>
    private static string History(OrderRecord? record)
    {
        if (record is null || record.Timeline.Count == 0)
        {
            return "no timeline";
        }

        var last = record.Timeline.OrderBy(t => t.At).TakeLast(HistoryEntries).Select(t =>
        {
            var text = $"{t.At:o} {t.Kind}: {t.Message}";
            return text.Length > MaxHistoryEntryChars ? text[..MaxHistoryEntryChars] + "..." : text;
        });
        return $"last {Math.Min(HistoryEntries, record.Timeline.Count)} of {record.Timeline.Count} timeline entries: {string.Join(" | ", last)}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: workflow {RuntimeStatus}; watchdog case {CaseId} opened")]
    private partial void LogFailedWorkflow(string orderId, string runtimeStatus, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Status} since {Since:o}, past its threshold; watchdog case {CaseId} opened")]
    private partial void LogStuckOrder(string orderId, string status, DateTimeOffset since, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: workflow accepted at {CreatedAt:o} has not started running; watchdog case {CaseId} opened")]
    private partial void LogNotStarted(string orderId, DateTimeOffset createdAt, string caseId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: watchdog case {CaseId} is open but its approvers could not be alerted: {Error}")]
    private partial void LogAlertFailed(string orderId, string caseId, string error);
}

/// <summary>What one watchdog pass found: failed/terminated order workflows listed, stuck orders found, cases opened now.</summary>
public sealed record WatchdogReport(int FailedWorkflows, int StuckOrders, int CasesOpened);
