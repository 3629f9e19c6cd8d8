using System.Net;
using Azure.Data.Tables;
using Microsoft.Playwright;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The operator's path in a real browser (headless Chromium through Playwright): sign in to the operations console with
/// the operator key, find the held order's case, cancel it with its button; the order is cancelled and its stock freed.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ConsoleBrowserTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task FraudHold_OperatorCancelsFromConsole_OrderCancelledAndStockReleased() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            ApprovalEmails.RiskyPayment(root);
        });
        var caseId = $"{order.OrderId}-fraud-1";
        using (var intake = await api.PostShopifyOrderAsync(order, $"console-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        await api.WaitForOrderAsync(order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"on hold for case {caseId}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var console = new Uri(api.Http.BaseAddress!, "/api/console").ToString();

        // Without a session the console sends the browser to its sign-in form; a wrong key is refused.
        await page.GotoAsync(console);
        Assert.EndsWith("/api/console/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", "not-the-operator-key");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("Wrong operator key", await page.InnerTextAsync("body"), StringComparison.Ordinal);

        await page.FillAsync("#key", OrderFlowHostFixture.OperatorKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(console);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "orderflow_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(OrderFlowHostFixture.OperatorKey, cookie.Value, StringComparison.Ordinal);

        // The case is listed with its context and one button per allowed resolution.
        var block = page.Locator($"div[data-case='{caseId}']");
        var text = await block.InnerTextAsync();
        Assert.Contains("FraudReview", text, StringComparison.Ordinal);
        Assert.Contains("Fraud score", text, StringComparison.Ordinal);
        Assert.Equal(2, await block.Locator("form").CountAsync());

        await block.Locator("form[data-resolution='Cancel'] input[name=comment]").FillAsync("Card reported stolen.");
        var resolved = await page.RunAndWaitForResponseAsync(
            () => block.Locator("form[data-resolution='Cancel'] button").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/api/console/cases/", StringComparison.Ordinal));
        // Wait for the answer page itself, not a load state the previous document may already have reported.
        await page.GetByText("Decision recorded").WaitForAsync();

        Assert.Equal(200, resolved.Status);
        Assert.Contains("Decision recorded", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        var row = (await host.Table(TableNames.Cases).GetEntityAsync<TableEntity>("case", caseId)).Value;
        Assert.Equal(("Resolved", "Cancel", "Card reported stolen."), (row.GetString("Status"), row.GetString("Resolution"), row.GetString("Comment")));

        Assert.Equal("Cancelled", (await api.WaitForCompletionAsync(order.OrderId, "Cancelled")).Status);

        // The order's timeline and the SKU's stock, in the console.
        await page.GotoAsync(new Uri(api.Http.BaseAddress!, $"/api/console/orders/{order.OrderId}").ToString());
        var timeline = await page.InnerTextAsync("body");
        Assert.Contains("Cancelled", timeline, StringComparison.Ordinal);
        Assert.Contains(caseId, timeline, StringComparison.Ordinal);
        await page.ClickAsync($"a:text-is('{mug}')");
        var stock = await page.InnerTextAsync("body");
        Assert.Contains($"Stock of {mug}", stock, StringComparison.Ordinal);
        Assert.Contains("Reservations (0)", stock, StringComparison.Ordinal);

        // Nothing is left for the case: it has gone from the console's open cases.
        await page.GotoAsync(console);
        Assert.Equal(0, await page.Locator($"div[data-case='{caseId}']").CountAsync());
    });

}
