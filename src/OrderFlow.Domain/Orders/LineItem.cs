using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Orders;

/// <summary>One ordered line: a SKU, a quantity and the unit price charged.</summary>
public sealed record LineItem(string LineId, string Sku, string Title, int Quantity, Money UnitPrice)
{
    public Money Total => UnitPrice.Times(Quantity);
}
