using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>One booked line of a sale: a SKU, its title, the units sold and the unit price charged (no customer data).</summary>
public sealed record SaleLine(string Sku, string Title, int Quantity, Money UnitPrice)
{
    public Money Total => UnitPrice.Times(Quantity);
}
