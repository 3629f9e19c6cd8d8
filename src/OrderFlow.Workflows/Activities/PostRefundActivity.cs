using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Posts a refund (credit note) to accounting; its reference keeps a retried post from booking twice.</summary>
public sealed class PostRefundActivity(IAccountingLedger ledger) : TaskActivity<RefundEntry, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, RefundEntry input) => ledger.PostRefundAsync(input);
}
