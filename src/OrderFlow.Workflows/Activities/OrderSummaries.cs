using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Activities;

/// <summary>Maps a canonical order to the PII-free summary the orchestrator carries.</summary>
public static class OrderSummaries
{
    public static OrderSummary From(Order order) => new(
        order.OrderId,
        order.OrderNumber,
        order.Currency,
        order.Totals,
        order.Lines.Select(l => new OrderLineSummary(l.LineId, l.Sku, l.Quantity, l.UnitPrice)).ToList(),
        order.PaymentReference);
}
