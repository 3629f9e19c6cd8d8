using System.Globalization;
using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// The cases of one workflow run: opens a case (durably, before any alert goes out) with the reason's allowed
/// resolutions and the store's deadline, waits for a person's decision (the next tier is reminded at the first
/// deadline), applies the reason's default at the last one, and turns an undeliverable customer email into a case.
/// </summary>
/// <param name="calls">The run's durable calls.</param>
/// <param name="orderId">The order the cases are about.</param>
/// <param name="caseIdPrefix">Case ids are this, the id part and the run's case number.</param>
/// <param name="workflowId">The workflow decisions are routed to when it is not the order's own (null: the order's).</param>
/// <param name="wait">Waits for an event or a timeout (null at the deadline); the order's also applies cancellation requests meanwhile.</param>
public sealed class CaseDesk(
    DurableCalls calls, OrderWorkflowSettings settings, string orderId, string caseIdPrefix, string? workflowId, Func<string, TimeSpan, Task<CaseDecision?>> wait)
{
    private int caseCount;

    /// <summary>What this desk's case ids start with (the run's id: the order or return id, "{orderId}-r{n}" on a restart).</summary>
    public string CaseIdPrefix => caseIdPrefix;

    /// <summary>Opens a case; its id is the prefix, <paramref name="idPart"/> and the run's case number.</summary>
    public async Task<string> OpenAsync(ExceptionReason reason, string idPart, string step, string error)
    {
        this.caseCount++;
        var caseId = $"{caseIdPrefix}-{idPart}-{this.caseCount.ToString(CultureInfo.InvariantCulture)}";
        var now = new DateTimeOffset(calls.Context.CurrentUtcDateTime, TimeSpan.Zero);
        await calls.ActivityAsync<bool>(nameof(OpenCaseActivity), new OpenCaseRequest(
            caseId, orderId, reason, step, error, CasePolicy.AllowedResolutions(reason), now + settings.CaseDeadline, workflowId));
        return caseId;
    }

    /// <summary>A person's decision on the case, or at its deadline the reason's default (recorded on the case).</summary>
    public async Task<(CaseResolution Resolution, CaseDecision? Decision)> DecideAsync(string caseId, ExceptionReason reason)
    {
        var decision = await this.WaitForDecisionAsync(caseId);
        var resolution = decision?.Resolution ?? CasePolicy.DefaultOnTimeout(reason);
        if (decision is null)
        {
            await calls.ActivityAsync<bool>(nameof(RecordCaseTimeoutActivity), new CaseTimeout(caseId, orderId, resolution));
        }

        return (resolution, decision);
    }

    /// <summary>
    /// Sends a customer message (once per key, through the outbox). When it still fails after the retries (hard bounce,
    /// SMTP down for good) a NotificationFailed case tells a person to reach the customer another way; the workflow goes
    /// on. The case id part is <paramref name="caseIdPart"/>, or the step (notify-milestone) when null. A fulfillment record
    /// the message carried that could not be written (<see cref="FulfillmentRecordWriter.IsNotRecorded"/>: the email was
    /// not sent) is the caller's to handle: that failure is thrown.
    /// </summary>
    public async Task NotifyAsync(CustomerNotification notification, string? caseIdPart = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            await calls.ActivityAsync<bool>(nameof(NotifyCustomerActivity), notification);
        }
        catch (TaskFailedException ex) when (!FulfillmentRecordWriter.IsNotRecorded(ex.FailureDetails))
        {
            var step = $"notify-{notification.Milestone}";
            await this.OpenAsync(
                ExceptionReason.NotificationFailed, caseIdPart ?? step, step,
                $"The {notification.Milestone} email ({notification.Key}) could not be delivered: {ex.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>
    /// Waits for a person's decision in two stages: at the first deadline the next tier is reminded, at the last one
    /// null is returned (the caller applies the reason's default). An event raised during the reminder is buffered
    /// by the engine and picked up by the second wait.
    /// </summary>
    private async Task<CaseDecision?> WaitForDecisionAsync(string caseId)
    {
        var eventName = CaseDecision.EventName(caseId);
        var deadlineAt = calls.Context.CurrentUtcDateTime.Add(settings.CaseDeadline);
        var decision = await wait(eventName, settings.EffectiveCaseReminderAfter);
        if (decision is not null)
        {
            return decision;
        }

        await calls.ActivityAsync<bool>(nameof(SendCaseReminderActivity), new CaseReminder(caseId, orderId));
        var remaining = deadlineAt - calls.Context.CurrentUtcDateTime;
        return await wait(eventName, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }
}
