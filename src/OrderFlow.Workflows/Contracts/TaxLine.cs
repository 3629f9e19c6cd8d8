using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Tax charged for one jurisdiction.</summary>
/// <param name="Jurisdiction">The tax's name as the channel gave it (e.g. "NY State Tax"); null when the order does not say.</param>
/// <param name="RatePercent">The rate in percent (8.875 for 8.875 %), when known.</param>
public sealed record TaxLine(string? Jurisdiction, Money Amount, decimal? RatePercent = null);
