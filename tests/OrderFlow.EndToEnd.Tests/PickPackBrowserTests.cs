using System.Net;
using Microsoft.Playwright;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Testing;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Own-warehouse staff in a real browser (headless Chromium through Playwright): sign in to the console, open the
/// location's pick-and-pack page, mark the order's pick list picked, then shipped with the label's tracking; the order
/// is Fulfilled and the customer gets the shipped email with that tracking, without any signed callback.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class PickPackBrowserTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task OwnWarehouseOrder_PackedAndShippedFromThePickPackPage_OrderFulfilledAndShippedEmailSent() => host.RunAsync(output, async () =>
    {
        // SKUs of this test only, both at one own warehouse (not listed under Routing: the queue hand-off): one pick list.
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 3 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        using (var intake = await api.PostShopifyOrderAsync(order, $"pickpack-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        var awaiting = await api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        var fulfillment = Assert.Single(awaiting.Fulfillments);
        var tracking = fulfillment.TrackingNumber!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var picks = new Uri(api.Http.BaseAddress!, $"/api/console/locations/{Stock.East}/picks").ToString();

        // Without a session the page sends the browser to the sign-in form.
        await page.GotoAsync(picks);
        Assert.EndsWith("/api/console/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", OrderFlowHostFixture.OperatorKey);
        await page.ClickAsync("button[type=submit]");
        // Committed is enough: the next step navigates or waits for its own element (the load event can lag on a busy machine).
        await page.WaitForURLAsync(new Uri(api.Http.BaseAddress!, "/api/console").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await page.GotoAsync(picks);

        // The pick list: its lines by SKU and the label's tracking in the shipped form.
        var block = page.Locator($"div[data-pick='{fulfillment.FulfillmentId}']");
        var text = await block.InnerTextAsync();
        Assert.Contains(mug, text, StringComparison.Ordinal);
        Assert.Contains(tee, text, StringComparison.Ordinal);
        Assert.Equal(tracking, await block.Locator("form[data-answer='shipped'] input[name=tracking]").InputValueAsync());

        var picked = await page.RunAndWaitForResponseAsync(
            () => block.Locator("form[data-answer='picked'] button").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/picks/", StringComparison.Ordinal));
        await page.GetByText($"{fulfillment.FulfillmentId}: picked.").WaitForAsync();
        Assert.Equal(200, picked.Status);
        Assert.Equal("picked", Assert.Single((await api.GetOrderAsync(order.OrderId))!.Fulfillments).Status);

        // Back on the list: still open (picked), now shipped with the label's tracking as filled in.
        await page.ClickAsync($"a:text-is('Pick lists of {Stock.East}')");
        var shipped = await page.RunAndWaitForResponseAsync(
            () => block.Locator("form[data-answer='shipped'] button").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/picks/", StringComparison.Ordinal));
        await page.GetByText($"{fulfillment.FulfillmentId}: shipped.").WaitForAsync();
        Assert.Equal(200, shipped.Status);

        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.Equal("shipped", Assert.Single(done.Fulfillments).Status);
        var email = await Poll.UntilAsync(
            () => Task.FromResult(host.Smtp.ForOrder(order.OrderId).FirstOrDefault(m => NotificationEmails.KeyOf(m) == $"{order.OrderId}:Shipped:{fulfillment.FulfillmentId}")),
            m => m is not null,
            $"the shipped email of {fulfillment.FulfillmentId}");
        Assert.Equal(order.Email, Assert.Single(email!.To.Mailboxes).Address);
        Assert.Contains(tracking, email.TextBody, StringComparison.Ordinal);

        // Shipped pick lists leave the page.
        await page.GotoAsync(picks);
        Assert.Equal(0, await page.Locator($"div[data-pick='{fulfillment.FulfillmentId}']").CountAsync());
    });
}
