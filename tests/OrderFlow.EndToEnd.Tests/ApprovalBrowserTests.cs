using System.Net;
using Azure.Data.Tables;
using Microsoft.Playwright;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The approver's path in a real browser (headless Chromium through Playwright): open the emailed link, read the case,
/// confirm, see the result; the order then completes. Needs a system Chromium (apt-get install chromium) or
/// PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH; Playwright's own browser download is not used.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ApprovalBrowserTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task FraudHold_ApproverConfirmsInChromium_OrderResumesAndLinkIsUsedUp() => host.RunAsync(output, async () =>
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
        using (var intake = await api.PostShopifyOrderAsync(order, $"browser-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        await api.WaitForOrderAsync(order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"on hold for case {caseId}");
        var link = new Uri(api.Http.BaseAddress!, ApprovalEmails.Links(await ApprovalEmails.ForCaseAsync(host.Smtp, caseId))["Approve"]).ToString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        // Opening the link shows the case and a confirmation; the case stays open until the button is pressed.
        var shown = await page.GotoAsync(link);
        Assert.Equal(200, shown!.Status);
        var text = await page.InnerTextAsync("body");
        Assert.Contains(caseId, text, StringComparison.Ordinal);
        Assert.Contains("FraudReview", text, StringComparison.Ordinal);
        Assert.Contains(mug, text, StringComparison.Ordinal);
        Assert.Equal("Open", (await CaseRowAsync(caseId)).GetString("Status"));

        await page.FillAsync("#comment", "Called the customer; approved.");
        var confirmed = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url == link);
        // Wait for the answer page itself, not a load state the previous document may already have reported.
        await page.GetByText("Decision recorded").WaitForAsync();

        Assert.Equal(200, confirmed.Status);
        Assert.Contains("Decision recorded", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        var row = await CaseRowAsync(caseId);
        Assert.Equal(("Resolved", "Approve", "Called the customer; approved."), (row.GetString("Status"), row.GetString("Resolution"), row.GetString("Comment")));

        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        Assert.Equal("Fulfilled", (await api.WaitForCompletionAsync(order.OrderId, "Fulfilled")).Status);

        // Opening the link again tells the approver it was already decided.
        var again = await page.GotoAsync(link);
        Assert.Equal(409, again!.Status);
        Assert.Contains("already decided", await page.InnerTextAsync("body"), StringComparison.Ordinal);
    });


    private async Task<TableEntity> CaseRowAsync(string caseId) =>
        (await host.Table(TableNames.Cases).GetEntityAsync<TableEntity>("case", caseId)).Value;
}
