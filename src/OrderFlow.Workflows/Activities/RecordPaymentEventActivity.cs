using System.Globalization;
using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Notes a payment provider event the order's workflow received (refund, failure, dispute) on the order's timeline.</summary>
public sealed class RecordPaymentEventActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<RecordPaymentEventRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RecordPaymentEventRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var notice = input.Notice;
        var amount = notice.Amount is { } money ? string.Create(CultureInfo.InvariantCulture, $" for {money}") : string.Empty;
        var reason = string.IsNullOrWhiteSpace(notice.Reason) ? string.Empty : $" ({notice.Reason})";
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(
            clock.GetUtcNow(), "payment", $"Payment event {notice.Type}{amount}{reason}: {notice.EventId}, {input.Action}."));
        return true;
    }
}

/// <summary>A payment event to note on the order's timeline, with what the workflow does about it.</summary>
public sealed record RecordPaymentEventRequest(string OrderId, PaymentEventNotice Notice, string Action);
