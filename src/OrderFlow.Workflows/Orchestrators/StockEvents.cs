using Microsoft.DurableTask;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Activities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// What any workflow does after a stock operation: tell each order whose backorder the freed or arriving units went
/// to (an external event to its workflow), and email purchasing about a low-stock crossing.
/// </summary>
public static class StockEvents
{
    /// <summary>The event an order workflow waits for while units of <paramref name="sku"/> are backordered.</summary>
    public static string BackorderFilled(string sku) => $"BackorderFilled:{sku}";

    public static async Task AfterChangeAsync(TaskOrchestrationContext context, string sku, IEnumerable<BackorderFill> filled, LowStockAlert? alert, TaskOptions? options)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var fill in filled ?? [])
        {
            context.SendEvent(fill.OrderId, BackorderFilled(sku), fill);
        }

        if (alert is not null)
        {
            await context.CallActivityAsync<bool>(nameof(NotifyLowStockActivity), alert, options);
        }
    }
}
