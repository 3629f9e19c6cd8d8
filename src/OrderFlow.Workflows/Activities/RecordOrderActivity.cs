using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 2: records the order captured at intake (status Received) and returns its PII-free summary. From revision 13
/// (<see cref="OrderWorkflowVersions.IntakeBehindStart"/>) it also binds the order's payment intent to it (first claim
/// wins, as payment verification does) and returns what was held for the order before its workflow existed: the
/// pending payment notices of the intent when the intent is this order's, and the held cancellations. The binding comes
/// before the read, so a payment notice arriving meanwhile is either seen here or relayed by the payment webhook, which
/// finds the order bound and its workflow running.
/// </summary>
public sealed partial class RecordOrderActivity(
    IDeliveryStore deliveries,
    IOrderStore orders,
    IPaymentEventStore payments,
    IPendingCancellationStore pendingCancellations,
    TimeProvider clock,
    ILogger<RecordOrderActivity> logger)
    : TaskActivity<OrderWorkflowInput, OrderSummary>
{
    public override async Task<OrderSummary> RunAsync(TaskActivityContext context, OrderWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await deliveries.GetOrderAsync(input.Source, input.DeliveryId)
            ?? throw new InvalidOperationException($"Delivery {input.Source}/{input.DeliveryId} for order {input.OrderId} has no captured order.");

        var created = await orders.CreateAsync(order, clock.GetUtcNow());
        LogRecorded(order.OrderId, created);
        var summary = OrderSummaries.From(order);
        if (!input.Runs(OrderWorkflowVersions.IntakeBehindStart))
        {
            return summary;
        }

        var notices = order.PaymentReference is { Length: > 0 } intentId ? this.HeldNoticesAsync(intentId, order.OrderId) : Task.FromResult<IReadOnlyList<PaymentEventNotice>>([]);
        var cancellations = pendingCancellations.ListAsync(order.OrderId);
        await Task.WhenAll(notices, cancellations);
        var held = new HeldAtIntake(await notices, await cancellations);
        if (held.IsEmpty)
        {
            return summary;
        }

        LogHeld(order.OrderId, held.PaymentNotices.Count, held.Cancellations.Count);
        return summary with { Held = held };
    }

    /// <summary>The intent's pending notices when the intent is bound to this order (bound here if no order claimed it yet).</summary>
    private async Task<IReadOnlyList<PaymentEventNotice>> HeldNoticesAsync(string intentId, string orderId)
    {
        var bound = await payments.RecordOrderAsync(intentId, orderId);
        return bound == orderId ? await payments.GetPendingAsync(intentId) : [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} recorded (new: {Created})")]
    private partial void LogRecorded(string orderId, bool created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: {Notices} payment notice(s) and {Cancellations} cancellation(s) held before its workflow started")]
    private partial void LogHeld(string orderId, int notices, int cancellations);
}
