namespace OrderFlow.Integrations.Email.Templates;

/// <summary>One row of the totals block ("Subtotal", "$49.00"); the total is emphasized.</summary>
public sealed record AmountModel(string Label, string Amount, bool Emphasize);
