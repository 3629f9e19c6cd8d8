using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 2: records the order captured at intake (status Received) and returns its PII-free summary. From revision 13
/// (<see cref="OrderWorkflowVersions.IntakeBehindStart"/>) it also binds the order's payment intent to it (first claim
/// wins, as payment verification does) and returns what was held for the order before its workflow existed: the
/// pending payment notices of the intent when the intent is this order's, and the held cancellations. The binding comes
/// before the read, so a payment notice arriving meanwhile is either seen here or relayed by the payment webhook, which
/// finds the order bound and its workflow running. From revision 19 (<see cref="OrderWorkflowVersions.StepsCarriedTogether"/>)
/// a run that is not a restart (<see cref="OrderValidationRound.RidesOnRecord"/>) also has the order's first validation
/// round done here, after the order is recorded, through the code <see cref="ValidateOrderActivity"/> uses (Validated
/// written when the order is valid), and its result returned (<see cref="OrderSummary.Validation"/>). When that round
/// fails the order is still recorded and no result is returned: the workflow runs the round as its own step, as before.
/// </summary>
public sealed partial class RecordOrderActivity(
    IDeliveryStore deliveries,
    IOrderStore orders,
    IPaymentEventStore payments,
    IPendingCancellationStore pendingCancellations,
    ICatalog catalog,
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
        if (input.Runs(OrderWorkflowVersions.IntakeBehindStart))
        {
            summary = await this.WithHeldAsync(summary, order.PaymentReference);
        }

        return OrderValidationRound.RidesOnRecord(input) ? summary with { Validation = await this.FirstRoundAsync(order.OrderId) } : summary;
    }

    /// <summary>The summary with what was held for the order before its workflow existed (revision 13), when anything was.</summary>
    private async Task<OrderSummary> WithHeldAsync(OrderSummary summary, string? paymentReference)
    {
        var orderId = summary.OrderId;
        var notices = paymentReference is { Length: > 0 } intentId ? this.HeldNoticesAsync(intentId, orderId) : Task.FromResult<IReadOnlyList<PaymentEventNotice>>([]);
        var cancellations = pendingCancellations.ListAsync(orderId);
        await Task.WhenAll(notices, cancellations);
        var held = new HeldAtIntake(await notices, await cancellations);
        if (held.IsEmpty)
        {
            return summary;
        }

        LogHeld(orderId, held.PaymentNotices.Count, held.Cancellations.Count);
        return summary with { Held = held };
    }

    /// <summary>
    /// The first validation round carried from revision 19 (Validated written when the order is valid); null when it
    /// failed (<see cref="CarriedStep"/>: the workflow's own step runs it).
    /// </summary>
    private async Task<ValidationResult?> FirstRoundAsync(string orderId) =>
        (await CarriedStep.TryAsync(logger, orderId, "first validation round", () => OrderValidationRound.RunAsync(orders, catalog, clock, orderId, OrderValidationRound.Validated(orderId)))).Result;

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
