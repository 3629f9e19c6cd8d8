using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 2: records the order captured at intake (status Received) and returns its PII-free summary.</summary>
public sealed class RecordOrderActivity(IDeliveryStore deliveries, IOrderStore orders, TimeProvider clock, ILogger<RecordOrderActivity> logger)
    : TaskActivity<OrderWorkflowInput, OrderSummary>
{
    public override async Task<OrderSummary> RunAsync(TaskActivityContext context, OrderWorkflowInput input)
    {
        var order = await deliveries.GetOrderAsync(input.Source, input.DeliveryId)
            ?? throw new InvalidOperationException($"Delivery {input.Source}/{input.DeliveryId} for order {input.OrderId} has no captured order.");

        var created = await orders.CreateAsync(order, clock.GetUtcNow());
        logger.LogInformation("Order {OrderId} recorded (new: {Created})", order.OrderId, created);
        return OrderSummaries.From(order);
    }
}
