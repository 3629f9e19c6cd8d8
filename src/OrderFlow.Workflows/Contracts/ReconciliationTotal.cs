namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Counts and amounts of one category ("Matched" or a mismatch kind) in one currency. For matched orders both amounts
/// are the fulfilled value; for a mismatch kind they sum each mismatch's expected and actual figures (an actual figure
/// in another currency, as in CurrencyDiffers, is left out of the sum).
/// </summary>
public sealed record ReconciliationTotal(string Category, string Currency, int Count, long ExpectedMinorUnits, long ActualMinorUnits)
{
    public const string Matched = "Matched";
}
