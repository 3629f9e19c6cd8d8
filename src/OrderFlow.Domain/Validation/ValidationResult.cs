namespace OrderFlow.Domain.Validation;

/// <summary>The outcome of validating an order; valid when there are no errors.</summary>
public sealed record ValidationResult(IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>True when every error concerns the shipping address (a person can correct it and resume).</summary>
    public bool OnlyAddressErrors => Errors.Count > 0 && Errors.All(e => e.Field.StartsWith("shippingAddress", StringComparison.Ordinal));

    public static ValidationResult Valid { get; } = new([]);
}
