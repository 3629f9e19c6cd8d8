using Microsoft.DurableTask;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 9a: buys the label for one fulfillment (address loaded here, never carried by the workflow).</summary>
public sealed class BuyLabelActivity(IOrderStore orders, ICarrierGateway carrier) : TaskActivity<BuyLabelRequest, ShippingLabel>
{
    public override async Task<ShippingLabel> RunAsync(TaskActivityContext context, BuyLabelRequest input)
    {
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        var f = input.Fulfillment;
        var label = await carrier.BuyLabelAsync(new LabelRequest(
            input.OrderId, f.FulfillmentId, f.Location, record.Order.ShippingAddress, f.Lines,
            OrderIds.IdempotencyKey(context.InstanceId, $"label-{f.FulfillmentId}")));
        await orders.UpsertFulfillmentAsync(input.OrderId, new FulfillmentRecord(
            f.FulfillmentId, f.Location, f.Lines, "label-purchased", label.Carrier, label.TrackingNumber, label.TrackingUrl, label.LabelUrl));
        return label;
    }
}
