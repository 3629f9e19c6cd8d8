using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Writes an exception case durably (a failed write fails the activity, which is retried), then alerts approvers best
/// effort: an alert that still fails after its own retries is recorded on the case and logged, never thrown, so the
/// workflow waits for the decision either way and the case queue shows the case.
/// </summary>
public sealed partial class OpenCaseActivity(IExceptionQueue queue, IOrderStore orders, TimeProvider clock, ILogger<OpenCaseActivity> logger)
    : TaskActivity<OpenCaseRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, OpenCaseRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await queue.OpenAsync(input);
        await orders.AppendTimelineAsync(input.OrderId, OpenedEntry(input, clock.GetUtcNow()));
        await AlertBestEffortAsync(queue, input.OrderId, input.CaseId, clock, logger);
        return true;
    }

    /// <summary>
    /// Alerts the approvers of a stored case best effort (also used by the HTTP handlers that open cases with no workflow):
    /// a failure after <see cref="BestEffortAlert"/>'s attempts is logged and recorded on the case, never thrown.
    /// </summary>
    public static async Task AlertBestEffortAsync(IExceptionQueue queue, string orderId, string caseId, TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(logger);
        var failure = await BestEffortAlert.TryAsync(() => queue.AlertAsync(caseId, cancellationToken), clock, cancellationToken);
        if (failure is not null)
        {
            LogAlertFailed(logger, orderId, caseId, failure);
            await RecordAlertFailureAsync(queue, caseId, $"Approver alert failed: {failure}", logger);
        }
    }

    /// <summary>The order's timeline entry saying the case was opened (the watchdog also reads it back: opened already?).</summary>
    internal static TimelineEntry OpenedEntry(OpenCaseRequest input, DateTimeOffset at) =>
        new(at, TimelineKind, $"{OpenedPrefix(input.CaseId)}({input.Reason} at {input.Step}): {input.Error}");

    /// <summary>Whether <paramref name="timeline"/> records that case <paramref name="caseId"/> was opened.</summary>
    internal static bool WasOpened(IEnumerable<TimelineEntry> timeline, string caseId) =>
        timeline.Any(t => t.Kind == TimelineKind && t.Message.StartsWith(OpenedPrefix(caseId), StringComparison.Ordinal));

    private const string TimelineKind = "case";

    private static string OpenedPrefix(string caseId) => $"Case {caseId} opened ";

    /// <summary>Records an alert failure on the case; a store that fails here too is logged (the case itself is written).</summary>
    internal static async Task RecordAlertFailureAsync(IExceptionQueue queue, string caseId, string error, ILogger logger)
    {
        try
        {
            await queue.RecordAlertFailureAsync(caseId, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecordFailed(logger, caseId, BestEffortAlert.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: case {CaseId} is open but its approvers could not be alerted: {Error}")]
    private static partial void LogAlertFailed(ILogger logger, string orderId, string caseId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Case {CaseId}: the alert failure could not be recorded on the case: {Error}")]
    private static partial void LogRecordFailed(ILogger logger, string caseId, string error);
}
