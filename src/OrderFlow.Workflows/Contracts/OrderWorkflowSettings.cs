namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Store settings the orchestrator needs, fixed when the workflow starts (orchestrators never read configuration).
/// </summary>
public sealed record OrderWorkflowSettings(
    TimeSpan FulfillmentConfirmationTimeout,
    TimeSpan ReservationHold,
    TimeSpan CaseDeadline,
    int ActivityMaxAttempts = 5,
    TimeSpan? ActivityFirstRetryInterval = null,
    TimeSpan? CaseReminderAfter = null)
{
    /// <summary>When the next tier is reminded of an undecided case: the configured time, or half the deadline.</summary>
    public TimeSpan EffectiveCaseReminderAfter =>
        CaseReminderAfter is { } after && after > TimeSpan.Zero && after < CaseDeadline ? after : CaseDeadline / 2;
}
