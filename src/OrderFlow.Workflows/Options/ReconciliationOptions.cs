using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// The scheduled daily reconciliation (section "Reconciliation"): each day, the previous UTC day's orders are reconciled
/// once (instance id "reconcile-{day}-{day}"). The one-machine host starts it at <see cref="DailyAt"/>; the Functions app
/// on the timer schedule of the app setting ReconciliationSchedule.
/// </summary>
public sealed class ReconciliationOptions : IValidatableObject
{
    public const string Section = "Reconciliation";

    /// <summary>False turns the daily run off (on-demand runs through the API still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>UTC time of day at which the host starts the previous day's run (late enough for that day's orders to settle).</summary>
    public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DailyAt < TimeSpan.Zero || DailyAt >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                $"Reconciliation:DailyAt ({DailyAt}) must be a UTC time of day from 00:00:00 to 23:59:59.", [nameof(DailyAt)]);
        }
    }
}
