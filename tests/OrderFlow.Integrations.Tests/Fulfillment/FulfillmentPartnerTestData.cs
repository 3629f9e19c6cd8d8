using Moq;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>An order with one labelled fulfillment in a mocked order store, and the dispatch that hands it off.</summary>
internal sealed class FulfillmentPartnerTestData
{
    public const string LabelUrl = "https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20261126/label.png";

    public FulfillmentPartnerTestData(string location)
    {
        Order = TestOrders.Create();
        FulfillmentId = OrderIds.Fulfillment(Order.OrderId, 1);
        Dispatch = new FulfillmentDispatch(
            Order.OrderId, FulfillmentId, location, [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], "9405500000000000000001", $"{Order.OrderId}:dispatch-F1");
        var fulfillment = new FulfillmentRecord(FulfillmentId, location, Dispatch.Lines, "labelled", "USPS", Dispatch.TrackingNumber, null, LabelUrl);
        Orders.Setup(o => o.GetAsync(Order.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderRecord(Order, OrderStatus.Received, [fulfillment], []));
    }

    public Order Order { get; }

    public string FulfillmentId { get; }

    public FulfillmentDispatch Dispatch { get; }

    public Mock<IOrderStore> Orders { get; } = new();

    public string CallbackUrl => $"{TestApprovals.PublicBaseUrl}/api/fulfillments/{FulfillmentId}/events";
}
