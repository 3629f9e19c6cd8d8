namespace OrderFlow.Domain.Validation;

/// <summary>One failed rule: which field, which rule, and a sentence a person can act on.</summary>
public sealed record ValidationError(string Field, string Rule, string Message);
