using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 11: posts revenue and tax to accounting once (reference derived from the instance id).</summary>
public sealed class PostSaleActivity(IAccountingLedger ledger, IOrderStore orders, TimeProvider clock) : TaskActivity<SaleEntry, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, SaleEntry input)
    {
        var entryId = await ledger.PostSaleAsync(input);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "accounting", $"Sale posted to accounting as {entryId} (revenue {input.Revenue}, tax {input.Tax})."));
        return entryId;
    }
}
