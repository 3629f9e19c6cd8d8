using Microsoft.DurableTask;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Emails purchasing about a low-stock crossing (once per alert; the entity already recorded it).</summary>
public sealed class NotifyLowStockActivity(IStockAlerts alerts) : TaskActivity<LowStockAlert, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, LowStockAlert input) => alerts.NotifyAsync(input);
}
