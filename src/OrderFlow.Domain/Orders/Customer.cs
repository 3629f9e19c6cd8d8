namespace OrderFlow.Domain.Orders;

/// <summary>The buyer. PII: never logged, never passed into workflow inputs.</summary>
public sealed record Customer(string Email, string FirstName, string LastName, string? Locale)
{
    public string DisplayName => string.IsNullOrWhiteSpace(FirstName) ? LastName : FirstName;
}
