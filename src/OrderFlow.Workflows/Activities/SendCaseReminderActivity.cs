using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Reminds the next tier of a case nobody decided by its first deadline (once per case, even when retried). Best
/// effort: a reminder that still fails after its own retries is recorded on the case and logged, never thrown, so the
/// workflow keeps waiting for the decision.
/// </summary>
public sealed partial class SendCaseReminderActivity(IExceptionQueue queue, IOrderStore orders, TimeProvider clock, ILogger<SendCaseReminderActivity> logger)
    : TaskActivity<CaseReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CaseReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var failure = await BestEffortAlert.TryAsync(() => queue.RemindAsync(input.CaseId), clock);
        if (failure is not null)
        {
            LogReminderFailed(input.OrderId, input.CaseId, failure);
            await OpenCaseActivity.RecordAlertFailureAsync(queue, input.CaseId, $"Escalation reminder failed: {failure}", logger);
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "case", $"Case {input.CaseId} still undecided: the escalation reminder could not be sent."));
            return false;
        }

        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "case", $"Case {input.CaseId} still undecided: escalation reminder sent."));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: case {CaseId} is still undecided and the escalation reminder could not be sent: {Error}")]
    private partial void LogReminderFailed(string orderId, string caseId, string error);
}
