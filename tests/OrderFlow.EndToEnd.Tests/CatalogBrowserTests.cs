using System.Net;
using System.Text;
using Microsoft.Playwright;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The catalog upload in a real browser (headless Chromium): sign in, open Catalog from the console's links, upload a
/// CSV, read its dry run (nothing changed yet), Apply, and the stock moved by the file's difference; the API's import
/// without dryRun is refused.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class CatalogBrowserTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task ConsoleUpload_DryRunThenApply_StockMovesByTheFilesDifference() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        var csv = "sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\n"
            + $"{mug},\"Mug, large\",{Stock.East},8,,Backorder,,\r\n{tee},Tee,{Stock.West},3,,,,\r\n";

        using (var noDryRun = await api.SendAsOperatorAsync(HttpMethod.Post, "/api/catalog/import", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noDryRun.StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(api.Http.BaseAddress!, "/api/console/login").ToString());
        await page.FillAsync("#key", OrderFlowHostFixture.OperatorKey);
        await page.ClickAsync("button[type=submit]");
        // Committed is enough: the next step navigates or waits for its own element (the load event can lag on a busy machine).
        await page.WaitForURLAsync(new Uri(api.Http.BaseAddress!, "/api/console").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await page.ClickAsync("a:text-is('Catalog')");
        await page.GetByText("Download the catalog as CSV").WaitForAsync();

        await page.SetInputFilesAsync("#file", new FilePayload { Name = "catalog.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("button:text-is('Dry run')");
        await page.GetByText("Catalog import: dry run").WaitForAsync();
        var dryRun = await page.InnerTextAsync("body");
        Assert.Contains("Dry run: 1 SKU(s) to create, 1 to update", dryRun, StringComparison.Ordinal);
        Assert.Contains($"{Stock.East}: 5 → 8 (+3) planned", await page.InnerTextAsync($"tr[data-sku='{mug}']"), StringComparison.Ordinal);
        Assert.Equal(5, (await api.GetStockAsync(mug)).OnHand);

        await page.ClickAsync("button:text-is('Apply')");
        await page.GetByText("Applied:").WaitForAsync();
        Assert.Contains($"{Stock.East}: 5 → 8 (+3) applied", await page.InnerTextAsync($"tr[data-sku='{mug}']"), StringComparison.Ordinal);
        Assert.Equal(8, (await api.GetStockAsync(mug)).OnHand);
        Assert.Equal(3, (await api.GetStockAsync(tee)).Locations[Stock.West].OnHand);

        // The export carries the new title (quoted for its comma) and count.
        using var export = await api.SendAsOperatorAsync(HttpMethod.Get, "/api/catalog.csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains($"{mug},\"Mug, large\",{Stock.East},8,,Backorder,,", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    });
}
