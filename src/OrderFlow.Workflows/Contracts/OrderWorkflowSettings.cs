using System.Text.Json.Serialization;

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
    TimeSpan? CaseReminderAfter = null,
    TimeSpan? BackorderWait = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TimeSpan? LocationCancelWait = null)
{
    /// <summary>
    /// How long a location told to cancel a fulfillment has to confirm (Workflow:LocationCancelTimeout): the configured
    /// time, or the fulfillment confirmation timeout.
    /// </summary>
    /// <remarks>Not serialized: settings travel in activity inputs, which stay as recorded before this setting existed.</remarks>
    [JsonIgnore]
    public TimeSpan LocationCancelTimeout => LocationCancelWait is { } wait && wait > TimeSpan.Zero ? wait : FulfillmentConfirmationTimeout;

    /// <summary>How long backordered units are awaited before an OutOfStock case (Inventory:BackorderMaxWait; default 30 days).</summary>
    public TimeSpan BackorderMaxWait => BackorderWait is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromDays(30);

    /// <summary>When the next tier is reminded of an undecided case: the configured time, or half the deadline.</summary>
    public TimeSpan EffectiveCaseReminderAfter =>
        CaseReminderAfter is { } after && after > TimeSpan.Zero && after < CaseDeadline ? after : CaseDeadline / 2;
}
