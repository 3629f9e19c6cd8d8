using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Writes a <see cref="FulfillmentUpdate"/> to the stored order (the fulfillment's record and its timeline entry): the one
/// piece of code behind <see cref="RecordFulfillmentActivity"/> and behind the records other activities carry from
/// <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/> (the workflow then asks for no separate record activity):
/// awaiting-confirmation by <see cref="DispatchFulfillmentActivity"/> once the hand-off succeeded, shipped by
/// <see cref="NotifyCustomerActivity"/> before the Shipped email.
/// </summary>
public static class FulfillmentRecordWriter
{
    /// <summary>Upserts the fulfillment's record and notes its new state on the order's timeline.</summary>
    public static async Task WriteAsync(IOrderStore orders, TimeProvider clock, FulfillmentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(update);
        await orders.UpsertFulfillmentAsync(update.OrderId, RecordOf(update));
        var why = update.HoldReason is null ? string.Empty : $" ({update.HoldReason})";
        await orders.AppendTimelineAsync(update.OrderId, new TimelineEntry(clock.GetUtcNow(), "fulfillment", $"{update.FulfillmentId} is {update.Status}{why}."));
    }

    /// <summary>
    /// Writes the record an activity carries (nothing when null) through <see cref="WriteAsync"/>. A failure is a
    /// <see cref="FulfillmentNotRecordedException"/> naming the record, so the workflow can tell it from a failure of the
    /// activity's own work (<see cref="IsNotRecorded"/>).
    /// </summary>
    /// <param name="orders">The order store.</param>
    /// <param name="clock">The time of the timeline entry.</param>
    /// <param name="update">The carried record, or null.</param>
    /// <param name="once">For a record written before the activity's own work, which a retry of that work reaches again:
    /// nothing is written when the order already holds exactly this record (no second timeline entry).</param>
    public static async Task WriteCarriedAsync(IOrderStore orders, TimeProvider clock, FulfillmentUpdate? update, bool once = false)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (update is null)
        {
            return;
        }

        try
        {
            if (once && await IsRecordedAsync(orders, update))
            {
                return;
            }

            await WriteAsync(orders, clock, update);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new FulfillmentNotRecordedException(
                $"Fulfillment {update.FulfillmentId} of order {update.OrderId} was not recorded as {update.Status}: {ex.Message}", ex);
        }
    }

    /// <summary>True when an activity failed because the record it carried could not be written (its own work was not done after it).</summary>
    public static bool IsNotRecorded(TaskFailureDetails? failure) =>
        failure?.ErrorType == typeof(FulfillmentNotRecordedException).FullName;

    private static FulfillmentRecord RecordOf(FulfillmentUpdate update) => new(
        update.FulfillmentId, update.Location, update.Lines, update.Status,
        update.Label?.Carrier, update.Label?.TrackingNumber, update.Label?.TrackingUrl, update.Label?.LabelUrl, update.HoldReason);

    /// <summary>The order already holds this record (same status, lines, label and hold reason): an earlier attempt wrote it.</summary>
    private static async Task<bool> IsRecordedAsync(IOrderStore orders, FulfillmentUpdate update)
    {
        var wanted = RecordOf(update);
        var stored = (await orders.GetAsync(update.OrderId))?.Fulfillments.FirstOrDefault(f => f.FulfillmentId == update.FulfillmentId);
        return stored is not null
            && stored with { Lines = wanted.Lines } == wanted
            && stored.Lines.SequenceEqual(wanted.Lines);
    }
}
