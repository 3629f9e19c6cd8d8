using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 11: posts revenue and tax to accounting once (reference derived from the instance id). When the entry carries no
/// lines, the booked lines and tax lines are read from the stored order first (see <see cref="SaleLines"/>). From
/// <see cref="OrderWorkflowVersions.StatusWithStep"/> it then writes the order's final status the entry carries
/// (<see cref="SaleEntry.Then"/>, through <see cref="OrderStatusWriter"/>); accounting never sees that field. The posting
/// is <see cref="SalePosting"/>, which a capture that carries the sale runs too.
/// </summary>
public sealed class PostSaleActivity(IAccountingLedger ledger, IOrderStore orders, TimeProvider clock) : TaskActivity<SaleEntry, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, SaleEntry input) => SalePosting.PostAsync(ledger, orders, clock, input);
}
