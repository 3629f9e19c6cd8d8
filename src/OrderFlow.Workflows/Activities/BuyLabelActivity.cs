using Microsoft.DurableTask;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 9a: buys the label for one fulfillment (address loaded here, never carried by the workflow). A carrier that
/// refuses the address is not retried: the outcome carries its message and the workflow opens an AddressInvalid case.
/// </summary>
public sealed class BuyLabelActivity(IOrderStore orders, ICarrierGateway carrier, TimeProvider clock) : TaskActivity<BuyLabelRequest, LabelOutcome>
{
    public override async Task<LabelOutcome> RunAsync(TaskActivityContext context, BuyLabelRequest input)
    {
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        var f = input.Fulfillment;
        ShippingLabel label;
        try
        {
            label = await carrier.BuyLabelAsync(new LabelRequest(
                input.OrderId, f.FulfillmentId, f.Location, record.Order.ShippingAddress, f.Lines,
                OrderIds.IdempotencyKey(input.KeyInstanceId ?? context.InstanceId, input.Attempt <= 1 ? $"label-{f.FulfillmentId}" : $"label-{f.FulfillmentId}-r{input.Attempt}")));
        }
        catch (CarrierAddressRejectedException ex)
        {
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "label", $"{f.FulfillmentId}: the carrier refused the ship-to address: {ex.Message}"));
            return new LabelOutcome(null, ex.Message);
        }

        await orders.UpsertFulfillmentAsync(input.OrderId, new FulfillmentRecord(
            f.FulfillmentId, f.Location, f.Lines, "label-purchased", label.Carrier, label.TrackingNumber, label.TrackingUrl, label.LabelUrl));
        return new LabelOutcome(label, null);
    }
}
