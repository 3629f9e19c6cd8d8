using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Workflows.Options;

/// <summary>What happens when stock runs short, and who hears about low stock (section "Inventory").</summary>
public sealed class InventoryOptions : IValidatableObject
{
    public const string Section = "Inventory";

    /// <summary>
    /// Store-wide out-of-stock policy for SKUs without their own: Escalate (an OutOfStock case), Backorder (reserve what
    /// exists, wait for the rest), Substitute (the SKU's configured substitute, customer told), Cancel (cancel the line).
    /// </summary>
    public string DefaultOutOfStockPolicy { get; set; } = OutOfStockPolicies.Escalate;

    /// <summary>How long a backordered order waits for stock before an OutOfStock case asks a person.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "180.00:00:00", ErrorMessage = "Inventory:BackorderMaxWait must be between 1 second and 180 days.")]
    public TimeSpan BackorderMaxWait { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Where low-stock alerts are emailed (purchasing). Empty: alerts are only recorded for the operations API.</summary>
    [EmailAddress(ErrorMessage = "Inventory:PurchasingEmail must be an email address.")]
    public string? PurchasingEmail { get; set; }

    /// <summary>How often the one-machine host's reaper looks for abandoned reservations (the Functions app uses ReservationReaperSchedule).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Inventory:ReaperInterval must be between 1 second and 1 day.")]
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutOfStockPolicies.IsKnown(DefaultOutOfStockPolicy))
        {
            yield return new ValidationResult(
                $"Inventory:DefaultOutOfStockPolicy '{DefaultOutOfStockPolicy}' is not one of {string.Join(", ", OutOfStockPolicies.All)}.",
                [nameof(DefaultOutOfStockPolicy)]);
        }
    }
}

/// <summary>The out-of-stock policies a store or SKU can choose.</summary>
public static class OutOfStockPolicies
{
    public const string Escalate = "Escalate";
    public const string Backorder = "Backorder";
    public const string Substitute = "Substitute";
    public const string Cancel = "Cancel";

    public static IReadOnlyList<string> All { get; } = [Escalate, Backorder, Substitute, Cancel];

    public static bool IsKnown(string? policy) => policy is not null && All.Contains(policy, StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical spelling of a known policy.</summary>
    public static string Normalize(string policy) => All.First(p => string.Equals(p, policy, StringComparison.OrdinalIgnoreCase));
}
