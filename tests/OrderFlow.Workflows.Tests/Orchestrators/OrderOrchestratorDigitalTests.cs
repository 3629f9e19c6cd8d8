using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Digital products need no stock and no shipment: delivered at once with the catalog's download page.</summary>
public sealed class OrderOrchestratorDigitalTests
{
    private const string Download = "https://shop.example.com/downloads/guide";

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task MixedOrder_DigitalDeliveredAtOnceParcelShippedAndAllCharged(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("GUIDE", "Brewing guide (PDF)", true, Digital: true, DownloadUrl: Download));
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("8001", ("MUG", 1, 12_00), ("GUIDE", 1, 9_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var parcel = await h.DispatchedAsync($"{id}-F2");
        await h.ConfirmShippedAsync(id, parcel.FulfillmentId);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal("MUG", Assert.Single(Assert.Single(h.Ports.Fulfillment.Dispatches).Lines).Sku);
        var digital = h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == $"{id}-F1");
        Assert.Equal(("digital", "delivered", "GUIDE"), (digital.Location, digital.Status, digital.Lines.Single().Sku));
        var told = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Delivered);
        Assert.Equal(Download, told.Details![CustomerNotification.DetailKeys.DownloadUrl]);
        Assert.Null(await h.InventoryAsync("GUIDE"));
        Assert.Equal(order.Totals.Total, h.Ports.Payments.Captures.Aggregate(Money.Zero("USD"), (sum, c) => sum + c.Amount));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task DigitalOnlyOrder_FulfilledWithoutAnyHandOff(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("GUIDE", "Brewing guide (PDF)", true, Digital: true, DownloadUrl: Download));
        var order = TestOrders.Create("8002", ("GUIDE", 2, 9_00));

        await h.StartOrderAsync(order);
        var outcome = await h.OutcomeAsync(order.OrderId);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Empty(h.Ports.Fulfillment.Dispatches);
        Assert.Empty(h.Ports.Carrier.Requests);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.Delivered);
    }
}
