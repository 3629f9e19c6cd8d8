namespace OrderFlow.Integrations.Email.Templates;

/// <summary>The order (<c>order.*</c>): number, status page, lines and totals already formatted for the customer.</summary>
public sealed record OrderModel(
    string Number,
    string StatusUrl,
    IReadOnlyList<LineModel> Lines,
    IReadOnlyList<AmountModel> Totals,
    string Total,
    string ShipTo);
