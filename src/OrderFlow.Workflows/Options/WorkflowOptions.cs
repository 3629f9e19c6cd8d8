using System.ComponentModel.DataAnnotations;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Options;

/// <summary>Store-level workflow timings (section "Workflow"), copied into each workflow's input when it starts.</summary>
public sealed class WorkflowOptions : IValidatableObject
{
    public const string Section = "Workflow";

    /// <summary>How long a location has to confirm a fulfillment before a FulfillmentTimeout case opens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Workflow:FulfillmentConfirmationTimeout must be between 1 second and 30 days.")]
    public TimeSpan FulfillmentConfirmationTimeout { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long a location told to cancel a fulfillment (queue or email: it answers later) has to confirm before a case opens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Workflow:LocationCancelTimeout must be between 1 second and 30 days.")]
    public TimeSpan LocationCancelTimeout { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long stock stays reserved for an order that has not shipped.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Workflow:ReservationHold must be between 1 minute and 90 days.")]
    public TimeSpan ReservationHold { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a case waits for a person before its reason's default policy applies.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Workflow:CaseDeadline must be between 1 second and 30 days.")]
    public TimeSpan CaseDeadline { get; set; } = TimeSpan.FromDays(3);

    /// <summary>When the next tier (Cases:EscalationEmail) is reminded of an undecided case; default half of CaseDeadline.</summary>
    public TimeSpan? CaseReminderAfter { get; set; }

    [Range(1, 20, ErrorMessage = "Workflow:ActivityMaxAttempts must be between 1 and 20.")]
    public int ActivityMaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Workflow:ActivityFirstRetryInterval must be between 10 ms and 1 hour.")]
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    public OrderWorkflowSettings ToSettings() =>
        new(FulfillmentConfirmationTimeout, ReservationHold, CaseDeadline, ActivityMaxAttempts, ActivityFirstRetryInterval, CaseReminderAfter ?? CaseDeadline / 2)
        {
            LocationCancelWait = LocationCancelTimeout,
        };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CaseReminderAfter is { } after && (after <= TimeSpan.Zero || after >= CaseDeadline))
        {
            yield return new ValidationResult(
                $"Workflow:CaseReminderAfter ({after}) must be positive and less than Workflow:CaseDeadline ({CaseDeadline}).",
                [nameof(CaseReminderAfter)]);
        }
    }
}
