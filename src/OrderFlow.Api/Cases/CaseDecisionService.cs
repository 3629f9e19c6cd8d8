using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Api.Cases;

/// <summary>
/// The one path by which a person's decision reaches a case and its workflow (approval page and operator API alike),
/// as an outbox: record it on the open case as Decided (the first decision wins), raise <see cref="CaseDecision"/> to
/// the workflow, then mark the case Resolved. If raising fails the case stays Decided: the same choice again (an
/// approver's retry) delivers it and answers success, and <see cref="RedeliverAsync"/> (the decision sweeper) delivers
/// any decision still undelivered after a minute. An event sent to an ended instance is dropped silently, so that case
/// is detected and recorded as WorkflowEnded instead. A case no workflow waits for is marked Resolved at once.
/// </summary>
/// <remarks>
/// A WorkflowFailed case (the watchdog's: its workflow ended Failed or Terminated, so nothing waits for an event) is
/// decided through the same outbox, but delivering it restarts the workflow (<see cref="WorkflowRestarter"/>): RetryStep
/// resumes the order from its recorded progress, Cancel cancels it the normal way, Approve acknowledges (Resolved, no run).
/// </remarks>
public sealed partial class CaseDecisionService(
    ICaseDecisionStore decisions, TimeProvider clock, ILogger<CaseDecisionService> logger, WorkflowRestarter? restarter = null)
{
    /// <summary>How long a recorded decision may wait for its own request to deliver it before the sweeper does.</summary>
    public static readonly TimeSpan RedeliverAfter = TimeSpan.FromMinutes(1);

    public async Task<CaseDecisionOutcome> DecideAsync(
        ExceptionCase exceptionCase, CaseResolution resolution, string decidedBy, string? comment, IWorkflowClient workflows, CancellationToken cancellationToken,
        Address? correctedAddress = null)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        ArgumentNullException.ThrowIfNull(workflows);
        var c = exceptionCase;
        if (!c.AllowedResolutions.Contains(resolution))
        {
            return CaseDecisionOutcome.NotAllowed;
        }

        // Recorded but not delivered: the same choice is a retry and delivers the recorded decision; another choice lost.
        if (c.IsDecided)
        {
            return c.Resolution == resolution ? await DeliverAsync(c, workflows, cancellationToken) : CaseDecisionOutcome.NotOpen;
        }

        // CorrectAddress carries the address the workflow stores; without a complete one there is nothing to apply.
        if (resolution == CaseResolution.CorrectAddress && !IsComplete(correctedAddress))
        {
            return CaseDecisionOutcome.AddressRequired;
        }

        var address = resolution == CaseResolution.CorrectAddress ? correctedAddress : null;

        if (!c.IsOpen)
        {
            return CaseDecisionOutcome.NotOpen;
        }

        // No workflow waits (a case opened by a webhook handler): the decision is the acknowledgement, and no default was
        // applied at the deadline, so a late one still counts.
        if (!c.AwaitsWorkflow)
        {
            return await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.Resolved, cancellationToken)
                ? CaseDecisionOutcome.Resolved
                : CaseDecisionOutcome.NotOpen;
        }

        // The workflow stopped waiting at the deadline and applied the default; a late event would be ignored.
        if (clock.GetUtcNow() >= c.Deadline)
        {
            return CaseDecisionOutcome.DeadlinePassed;
        }

        if (this.RestartsWorkflow(c))
        {
            if (resolution == CaseResolution.Approve)
            {
                // Acknowledged: the order is left as it is.
                return await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.Resolved, cancellationToken)
                    ? CaseDecisionOutcome.Resolved
                    : CaseDecisionOutcome.NotOpen;
            }

            if (await restarter!.CheckAsync(workflows, c.OrderId, c.CaseId, resolution == CaseResolution.Cancel, cancellationToken) is { Outcome: not RestartOutcome.AlreadyRestarted } refusal)
            {
                LogRestartRefused(c.OrderId, c.CaseId, refusal.Message);
                return CaseDecisionOutcome.RestartRefused;
            }
        }
        else if (await workflows.GetStatusAsync(c.InstanceId, cancellationToken) is not { IsTerminal: false })
        {
            return await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.WorkflowEnded, cancellationToken)
                ? CaseDecisionOutcome.WorkflowEnded
                : CaseDecisionOutcome.NotOpen;
        }

        if (!await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.Decided, cancellationToken, address))
        {
            return CaseDecisionOutcome.NotOpen;
        }

        var decided = c with
        {
            Status = CaseStatuses.Decided,
            Resolution = resolution,
            DecidedBy = decidedBy,
            Comment = comment,
            CorrectedAddress = address,
        };
        return await DeliverAsync(decided, workflows, cancellationToken);
    }

    /// <summary>
    /// The decision sweeper's pass: delivers every decision recorded more than <see cref="RedeliverAfter"/> before
    /// <paramref name="now"/> and still not Resolved. A failure on one case is logged and the others go on; the next pass
    /// tries again. Returns how many were delivered (Resolved or WorkflowEnded).
    /// </summary>
    public async Task<int> RedeliverAsync(IWorkflowClient workflows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var delivered = 0;
        foreach (var c in await decisions.ListDecidedAsync(cancellationToken))
        {
            if (c.DecidedAt is { } decidedAt && now - decidedAt < RedeliverAfter)
            {
                continue;
            }

            try
            {
                var outcome = await DeliverAsync(c, workflows, cancellationToken);
                if (outcome is CaseDecisionOutcome.Resolved or CaseDecisionOutcome.WorkflowEnded)
                {
                    delivered++;
                    LogRedelivered(c.OrderId, c.CaseId, outcome.ToString());
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRedeliveryFailed(c.OrderId, c.CaseId, ex);
            }
        }

        return delivered;
    }

    /// <summary>Raises the recorded decision of a Decided case, then marks it Resolved (WorkflowEnded when its workflow has ended).</summary>
    private async Task<CaseDecisionOutcome> DeliverAsync(ExceptionCase c, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (this.RestartsWorkflow(c))
        {
            // Restarted once per case (the new run's input names it), so a redelivery only completes the case.
            var restart = await restarter!.RestartAsync(workflows, c.OrderId, c.CaseId, c.Resolution == CaseResolution.Cancel, cancellationToken);
            if (restart.Outcome is RestartOutcome.Restarted or RestartOutcome.AlreadyRestarted)
            {
                await decisions.TryCompleteDecisionAsync(c.CaseId, CaseStatuses.Resolved, cancellationToken);
                return CaseDecisionOutcome.Resolved;
            }

            LogRestartRefused(c.OrderId, c.CaseId, restart.Message);
            await decisions.TryCompleteDecisionAsync(c.CaseId, CaseStatuses.WorkflowEnded, cancellationToken);
            return CaseDecisionOutcome.WorkflowEnded;
        }

        var status = await workflows.GetStatusAsync(c.InstanceId, cancellationToken);
        if (status is null || status.IsTerminal)
        {
            await decisions.TryCompleteDecisionAsync(c.CaseId, CaseStatuses.WorkflowEnded, cancellationToken);
            return CaseDecisionOutcome.WorkflowEnded;
        }

        // Raising twice is harmless: the workflow takes the first CaseDecision for the case and never waits again.
        var decision = new CaseDecision(c.CaseId, c.Resolution!.Value, c.DecidedBy ?? "unknown", c.Comment, c.CorrectedAddress);
        await workflows.RaiseEventAsync(c.InstanceId, CaseDecision.EventName(c.CaseId), decision, cancellationToken);
        await decisions.TryCompleteDecisionAsync(c.CaseId, CaseStatuses.Resolved, cancellationToken);
        return CaseDecisionOutcome.Resolved;
    }

    /// <summary>True for a case whose RetryStep or Cancel restarts its ended workflow (WorkflowFailed).</summary>
    private bool RestartsWorkflow(ExceptionCase c) =>
        restarter is not null && c.Reason == ExceptionReason.WorkflowFailed && c.Resolution is null or CaseResolution.RetryStep or CaseResolution.Cancel;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: case {CaseId} asked to restart the workflow, which was refused: {Why}")]
    private partial void LogRestartRefused(string orderId, string caseId, string why);

    /// <summary>The refusal text for <see cref="CaseDecisionOutcome.RestartRefused"/>.</summary>
    public const string RestartRefusedMessage =
        "The order's workflow cannot be restarted now: it is not Failed or Terminated any more, the order already ended, or its recorded progress "
        + "does not allow a safe resume (a parcel in flight beside one that shipped, or waiting for backordered units after shipping; "
        + "Cancel once something shipped). Choose another resolution, or finish the order by hand and acknowledge the case; "
        + "the order's timeline shows where it stopped.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: the recorded decision of case {CaseId} was delivered by the sweeper ({Outcome})")]
    private partial void LogRedelivered(string orderId, string caseId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: delivering the recorded decision of case {CaseId} failed; the next pass tries again")]
    private partial void LogRedeliveryFailed(string orderId, string caseId, Exception ex);

    /// <summary>The fields a shipping address cannot do without; the workflow's validation checks the rest.</summary>
    public static bool IsComplete(Address? address) =>
        address is not null
        && !string.IsNullOrWhiteSpace(address.Name)
        && !string.IsNullOrWhiteSpace(address.Line1)
        && !string.IsNullOrWhiteSpace(address.City)
        && !string.IsNullOrWhiteSpace(address.PostalCode)
        && !string.IsNullOrWhiteSpace(address.CountryCode);

    /// <summary>The refusal text for <see cref="CaseDecisionOutcome.AddressRequired"/>.</summary>
    public const string AddressRequiredMessage =
        "'CorrectAddress' needs the corrected address: name, line1, city, postalCode and countryCode are required (line2, province, phone optional).";
}
