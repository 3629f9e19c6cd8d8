using Microsoft.DurableTask;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Gathers one order's facts from the three sides (order store, payment provider, accounting) and runs the pure
/// <see cref="Reconciler"/>. Orders still in progress are skipped: their capture and sale come at completion.
/// </summary>
public sealed class ReconcileOrderActivity(IOrderStore orders, IPaymentLedgerReader payments, IAccountingLedger ledger, IReturnStore returns) : TaskActivity<string, OrderReconciliation>
{
    /// <summary>The statuses in which an order's money should be settled.</summary>
    public static IReadOnlySet<OrderStatus> Settled { get; } = new HashSet<OrderStatus> { OrderStatus.Fulfilled, OrderStatus.PartiallyFulfilled, OrderStatus.Cancelled };

    public override async Task<OrderReconciliation> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        var record = await orders.GetAsync(input);
        if (record is null)
        {
            return OrderReconciliation.Skipped(input, "not in the order store");
        }

        if (!Settled.Contains(record.Status))
        {
            return OrderReconciliation.Skipped(input, $"still {record.Status}");
        }

        var order = record.Order;
        var payment = order.PaymentReference is { Length: > 0 } reference ? await payments.GetPaymentFactsAsync(reference) : null;
        var documents = await ledger.ListDocumentsAsync(input);
        var result = Reconciler.Reconcile(
            FactsOf(record, await returns.ListForOrderAsync(input)),
            payment,
            [.. documents.Select(d => new LedgerFacts(d.Kind == AccountingDocument.Refund, d.Reference, d.Total))]);
        return new OrderReconciliation(input, result, null);
    }

    /// <summary>
    /// The order store's side: lines, totals and the units of fulfillments that have shipped (shipped or any carrier status after it); and from the returns store, the
    /// units that came back (resellable or damaged) and what their refunds paid out.
    /// </summary>
    public static OrderFacts FactsOf(OrderRecord record, IReadOnlyList<ReturnRecord>? returns = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var shipped = record.Fulfillments
            .Where(f => CarrierStatuses.HasShipped(f.Status))
            .SelectMany(f => f.Lines)
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        var order = record.Order;
        var refunded = (returns ?? []).Where(r => r.Status == ReturnStatus.Refunded && r.Refund is not null).ToList();
        var units = refunded.Sum(r => (r.Units ?? []).Count(u => u.Condition != Domain.Returns.UnitCondition.Missing));
        var value = refunded.Aggregate(Money.Zero(order.Currency), (sum, r) => sum + r.Refund!.Total);
        return new OrderFacts(order.OrderId, order.Currency, order.Totals, order.Lines, shipped, units, value);
    }
}
