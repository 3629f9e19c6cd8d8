using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Posts a sale to accounting: the one piece of code behind <see cref="PostSaleActivity"/> and behind the sale a capture
/// carries from <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> (<see cref="CapturePaymentRequest.Sale"/>). The
/// ledger books a reference once, so a retried or repeated posting under the same key books nothing more.
/// </summary>
public static class SalePosting
{
    /// <summary>
    /// Posts <paramref name="input"/> (when it carries no lines, the booked lines and tax lines are read from the stored
    /// order first, see <see cref="SaleLines"/>), adds the accounting entry to the order's timeline, then writes the final
    /// status the entry carries (<see cref="SaleEntry.Then"/>, through <see cref="OrderStatusWriter"/>); accounting never
    /// sees that field. Returns the ledger's entry id.
    /// </summary>
    public static async Task<string> PostAsync(IAccountingLedger ledger, IOrderStore orders, TimeProvider clock, SaleEntry input)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(clock);
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
