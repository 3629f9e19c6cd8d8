using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// The three-way reconciliation of a date range (instance id = report id, see <see cref="ReconciliationRequest.InstanceIdFor"/>):
/// lists the range's orders, reconciles them in bounded parallel batches, opens one ReconciliationMismatch case per
/// (order, kind, subject) (idempotent case ids, so a re-run never opens a duplicate), and stores the report.
/// </summary>
public sealed class ReconciliationOrchestrator : TaskOrchestrator<ReconciliationRequest, ReconciliationSummary>
{
    /// <summary>Orders one run reconciles; a larger range is cut (and the report says so) to keep the history bounded.</summary>
    public const int MaxOrders = 5000;

    /// <summary>Activities in flight at once.</summary>
    public const int BatchSize = 20;

    public const string Step = "reconcile";

    /// <summary>
    /// How long a mismatch case can be decided. No workflow waits on it (the order's own workflow has ended), so it is
    /// longer than an order's case deadline: books are often corrected at month end.
    /// </summary>
    public static readonly TimeSpan MismatchCaseDeadline = TimeSpan.FromDays(30);

    public override async Task<ReconciliationSummary> RunAsync(TaskOrchestrationContext context, ReconciliationRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger<ReconciliationOrchestrator>();
        var retry = ActivityRetry.For(input.Settings);

        var from = new DateTimeOffset(input.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(input.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var batch = await context.CallActivityAsync<OrderBatch>(nameof(ListOrdersToReconcileActivity), new OrderRange(from, to, MaxOrders), retry);

        var results = new List<OrderReconciliation>(batch.OrderIds.Count);
        foreach (var slice in batch.OrderIds.Chunk(BatchSize))
        {
            results.AddRange(await Task.WhenAll(slice.Select(id => ReconcileAsync(context, id, retry))));
        }

        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var report = ReconciliationReport.Build(context.InstanceId, input.From, input.To, now, results, batch.Truncated);
        var cases = report.Mismatches
            .Select(m => new OpenCaseRequest(
                m.CaseId, m.OrderId, ExceptionReason.ReconciliationMismatch, Step, Describe(m, report.ReportId),
                CasePolicy.AllowedResolutions(ExceptionReason.ReconciliationMismatch), now + MismatchCaseDeadline))
            .ToList();
        foreach (var slice in cases.Chunk(BatchSize))
        {
            await Task.WhenAll(slice.Select(c => context.CallActivityAsync<bool>(nameof(OpenCaseActivity), c, retry)));
        }

        await context.CallActivityAsync<bool>(nameof(SaveReconciliationReportActivity), report, retry);
        logger.LogInformation(
            "Reconciliation {ReportId}: {Checked} order(s) checked, {Matched} matched, {Mismatched} mismatched, {Skipped} skipped",
            report.ReportId, report.OrdersChecked, report.Matched, report.Mismatched, report.Skipped);
        return new ReconciliationSummary(report.ReportId, report.OrdersChecked, report.Matched, report.Mismatched, report.Skipped, cases.Count);
    }

    /// <summary>Both sides' figures, as the case shows them to a person.</summary>
    public static string Describe(ReconciliationLine line, string reportId)
    {
        ArgumentNullException.ThrowIfNull(line);
        return $"{line.Kind} ({line.Subject}): expected {line.Expected}, actual {line.Actual}. {line.Explanation} (reconciliation {reportId})";
    }

    /// <summary>One order; a step that still fails after the retries makes the order a skip in the report, not the run a failure.</summary>
    private static async Task<OrderReconciliation> ReconcileAsync(TaskOrchestrationContext context, string orderId, TaskOptions retry)
    {
        try
        {
            return await context.CallActivityAsync<OrderReconciliation>(nameof(ReconcileOrderActivity), orderId, retry);
        }
        catch (TaskFailedException ex)
        {
            return OrderReconciliation.Skipped(orderId, $"failed: {ex.FailureDetails?.ErrorMessage ?? ex.Message}");
        }
    }
}
