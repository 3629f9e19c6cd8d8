using OrderFlow.Testing;
using System.Net;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>Overselling is impossible: an order the stock cannot cover holds nothing and goes to a person.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class StockReservationTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task OrdersCreate_MoreUnitsThanOnHand_HeldAsOutOfStockWithNothingReserved() => host.RunAsync(output, async () =>
    {
        // SKUs of this test only: one mug on hand for an order of two, tees plenty.
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 1 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5, [Stock.West] = 5 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        var caseId = $"{order.OrderId}-reserve-1";

        using var response = await api.PostShopifyOrderAsync(order, $"short-{order.ShopifyId}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var held = await api.WaitForOrderAsync(
            order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"status OnHold on case {caseId}");
        Assert.Equal("Running", held.Workflow!.RuntimeStatus);
        Assert.Empty(held.Fulfillments);
        var caseRow = (await host.Table(TableNames.Cases).GetEntityAsync<TableEntity>("case", caseId)).Value;
        Assert.Equal("OutOfStock", caseRow.GetString("Reason"));
        Assert.Equal($"SKU {mug}: 2 requested, 1 available.", caseRow.GetString("Error"));
        Assert.Single(host.Smtp.Messages, m => NotificationEmails.KeyOf(m) == $"case:{caseId}");

        // The customer is told the order waits for an item, in neutral words and without the case's text.
        var onHold = (await Poll.UntilAsync(
            () => Task.FromResult(host.Smtp.Messages.FirstOrDefault(m => NotificationEmails.KeyOf(m) == $"{order.OrderId}:OnHold#{caseId}")),
            m => m is not null,
            "the customer's on-hold email"))!;
        Assert.Contains("taking longer to get to us", onHold.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(caseRow.GetString("Error"), onHold.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(caseId, onHold.TextBody, StringComparison.Ordinal);

        // All or nothing: the tee that was available is not held either, and the mug is still sellable.
        var mugs = await api.GetStockAsync(mug);
        var tees = await api.GetStockAsync(tee);
        Assert.Equal((1, 0, 1), (mugs.OnHand, mugs.Reserved, mugs.Available));
        Assert.Equal((10, 0, 10), (tees.OnHand, tees.Reserved, tees.Available));
        Assert.Empty(mugs.Reservations);
        Assert.Empty(tees.Reservations);
    });
}
