using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Steps 6 and 9: sends one customer message per (order, milestone, fulfillment).</summary>
public sealed class NotifyCustomerActivity(ICustomerNotifier notifier) : TaskActivity<CustomerNotification, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, CustomerNotification input) => notifier.NotifyAsync(input);
}
