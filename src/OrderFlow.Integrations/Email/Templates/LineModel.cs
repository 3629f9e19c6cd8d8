namespace OrderFlow.Integrations.Email.Templates;

/// <summary>One order line with formatted unit price and line total.</summary>
public sealed record LineModel(string Title, int Quantity, string UnitPrice, string Total);
