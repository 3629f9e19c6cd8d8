using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Reminds the next tier of a case nobody decided by its first deadline (once per case, even when retried).</summary>
public sealed class SendCaseReminderActivity(IExceptionQueue queue, IOrderStore orders, TimeProvider clock) : TaskActivity<CaseReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CaseReminder input)
    {
        await queue.RemindAsync(input.CaseId);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "case", $"Case {input.CaseId} still undecided: escalation reminder sent."));
        return true;
    }
}
