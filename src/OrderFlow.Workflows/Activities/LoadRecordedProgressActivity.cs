using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// A restarted order run's first step: the order's recorded status and fulfillments (input: the order id), from which it
/// resumes. No customer data leaves the store.
/// </summary>
public sealed class LoadRecordedProgressActivity(IOrderStore orders) : TaskActivity<string, RecordedProgress>
{
    public override async Task<RecordedProgress> RunAsync(TaskActivityContext context, string input)
    {
        var record = await orders.GetAsync(input)
            ?? throw new InvalidOperationException($"Order {input} is not recorded; a restarted run has nothing to resume from.");
        return new RecordedProgress(record.Status, record.Fulfillments);
    }
}
