using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// After the order's workflow raised to itself what was held for it (<see cref="HeldAtIntake"/>): the payment notices
/// are marked relayed to the order (kept for audit) and the cancellations are no longer held. Both are idempotent, so a
/// retry does no harm; until this runs, a notice can also be relayed by the payment webhook, and the workflow dedupes on
/// event and request ids.
/// </summary>
public sealed partial class ClearHeldAtIntakeActivity(
    IPaymentEventStore payments,
    IPendingCancellationStore pendingCancellations,
    ILogger<ClearHeldAtIntakeActivity> logger)
    : TaskActivity<ClearHeldRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ClearHeldRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var notice in input.Held.PaymentNotices)
        {
            await payments.MarkRaisedAsync(notice.PaymentIntentId, notice.EventId, input.OrderId);
        }

        foreach (var request in input.Held.Cancellations)
        {
            await pendingCancellations.RemoveAsync(input.OrderId, request.RequestId);
            LogCancellationRelayed(input.OrderId, request.RequestId);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: held cancellation {RequestId} raised to its workflow")]
    private partial void LogCancellationRelayed(string orderId, string requestId);
}
