using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 11: posts revenue and tax to accounting once (reference derived from the instance id). When the entry carries no
/// lines, the booked lines and tax lines are read from the stored order first (see <see cref="SaleLines"/>). From
/// <see cref="OrderWorkflowVersions.StatusWithStep"/> it then writes the order's final status the entry carries
/// (<see cref="SaleEntry.Then"/>, through <see cref="OrderStatusWriter"/>); accounting never sees that field.
/// </summary>
public sealed class PostSaleActivity(IAccountingLedger ledger, IOrderStore orders, TimeProvider clock) : TaskActivity<SaleEntry, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, SaleEntry input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entry = input with { Then = null };
        if (input.Lines is null || input.TaxLines is null)
        {
            var record = await orders.GetAsync(input.OrderId);
            entry = entry with
            {
                Lines = input.Lines ?? (record is null ? null : SaleLines.Booked(record, input.Revenue)),
                TaxLines = input.TaxLines ?? SaleLines.Tax(input.Tax),
            };
        }

        var entryId = await ledger.PostSaleAsync(entry);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "accounting", $"Sale posted to accounting as {entryId} (revenue {input.Revenue}, tax {input.Tax})."));
        await OrderStatusWriter.ApplyCarriedAsync(orders, clock, input.Then);
        return entryId;
    }
}
