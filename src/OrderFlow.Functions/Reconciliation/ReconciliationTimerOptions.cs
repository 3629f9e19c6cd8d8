using System.ComponentModel.DataAnnotations;
using OrderFlow.Functions.Triggers;

namespace OrderFlow.Functions.Reconciliation;

/// <summary>
/// The daily reconciliation timer's schedule, the app setting ReconciliationSchedule (a flat name like OrderFlowTaskHub:
/// the Functions host resolves "%ReconciliationSchedule%" in the trigger itself). Checked at start-up so a bad value
/// names the setting instead of silently never firing.
/// </summary>
public sealed class ReconciliationTimerOptions : IValidatableObject
{
    public string Schedule { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var fields = (Schedule ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 || fields.Any(f => f.Any(c => !(char.IsAsciiDigit(c) || c is '*' or '/' or ',' or '-' || char.IsAsciiLetter(c)))))
        {
            yield return new ValidationResult(
                $"{ReconciliationTimerTrigger.ScheduleSetting} must be an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. '0 0 2 * * *' for 02:00 UTC daily; got '{Schedule}'.",
                [nameof(Schedule)]);
        }
    }
}
