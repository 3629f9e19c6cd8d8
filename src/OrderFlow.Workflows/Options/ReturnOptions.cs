using System.ComponentModel.DataAnnotations;
using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Options;

/// <summary>The store's return policy (section "Returns"), copied into each return workflow's input when it starts.</summary>
public sealed class ReturnOptions : IValidatableObject
{
    public const string Section = "Returns";

    /// <summary>Days after delivery (else shipment, else completion) during which a return is accepted.</summary>
    [Range(0, 3650, ErrorMessage = "Returns:WindowDays must be between 0 and 3650.")]
    public int WindowDays { get; set; } = 30;

    /// <summary>Comma-separated SKUs never taken back, e.g. "GIFT-CARD,EARRINGS".</summary>
    public string? NonReturnableSkus { get; set; }

    /// <summary>Percent of the returned items' value kept as a restocking fee.</summary>
    [Range(0, 100, ErrorMessage = "Returns:RestockingFeePercent must be between 0 and 100.")]
    public int RestockingFeePercent { get; set; }

    /// <summary>A fixed restocking fee per return, in minor units of the order currency.</summary>
    [Range(0L, 100_000_000L, ErrorMessage = "Returns:RestockingFeeFixedMinor must be between 0 and 100000000 (minor units).")]
    public long RestockingFeeFixedMinor { get; set; }

    /// <summary>Whether the order's shipping charge is refunded with its first refunded return (a request may override it).</summary>
    public bool RefundShipping { get; set; }

    /// <summary>How long an authorized return may take to arrive before a ReturnNotReceived case opens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "180.00:00:00", ErrorMessage = "Returns:ReceiveDeadline must be between 1 second and 180 days.")]
    public TimeSpan ReceiveDeadline { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The parsed SKU list.</summary>
    public IReadOnlyList<string> NonReturnable =>
        (NonReturnableSkus ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    public ReturnRules ToRules() => new(WindowDays, NonReturnable, RestockingFeePercent, RestockingFeeFixedMinor, RefundShipping);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var bad = NonReturnable.Where(s => s.Length > 100 || s.Any(char.IsWhiteSpace)).ToList();
        if (bad.Count > 0)
        {
            yield return new ValidationResult(
                $"Returns:NonReturnableSkus must be comma-separated SKUs without spaces inside (at most 100 characters each); invalid: {string.Join(", ", bad)}.",
                [nameof(NonReturnableSkus)]);
        }
    }
}
