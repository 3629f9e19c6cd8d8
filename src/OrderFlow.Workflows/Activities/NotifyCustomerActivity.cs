using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Steps 6 and 9: sends one customer message per (order, milestone, fulfillment). From
/// <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/> the Shipped email first writes the fulfillment's record it
/// carries (<see cref="CustomerNotification.Before"/>, shipped, through <see cref="FulfillmentRecordWriter"/>); the
/// notifier never sees that field. A retry after the email failed finds the record written and does not write it again.
/// </summary>
public sealed class NotifyCustomerActivity(ICustomerNotifier notifier, IOrderStore orders, TimeProvider clock) : TaskActivity<CustomerNotification, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CustomerNotification input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Before is null)
        {
            return await notifier.NotifyAsync(input);
        }

        await FulfillmentRecordWriter.WriteCarriedAsync(orders, clock, input.Before, once: true);
        return await notifier.NotifyAsync(input with { Before = null });
    }
}
