namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Store settings the orchestrator needs, fixed when the workflow starts (orchestrators never read configuration).
/// </summary>
public sealed record OrderWorkflowSettings(
    TimeSpan FulfillmentConfirmationTimeout,
    TimeSpan ReservationHold,
    TimeSpan CaseDeadline,
    int ActivityMaxAttempts = 5,
    TimeSpan? ActivityFirstRetryInterval = null);
