using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Human approval on the real host: the approver's email carries signed links; the page behind one shows the case and
/// changes nothing until confirmed; the confirmation resumes the order; the link then works no more.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ApprovalLinkTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task FraudHold_ApproveLinkFollowedAndConfirmed_OrderResumesAndCompletes() => host.RunAsync(output, async () =>
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

        using (var intake = await api.PostShopifyOrderAsync(order, $"approval-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        await api.WaitForOrderAsync(order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"on hold for case {caseId}");
        var alert = await ApprovalEmails.ForCaseAsync(host.Smtp, caseId);
        Assert.Equal(OrderFlowHostFixture.ApproverEmail, Assert.Single(alert.To.Mailboxes).Address);
        var links = ApprovalEmails.Links(alert);
        Assert.Equal(["Approve", "Cancel"], links.Keys.Order(StringComparer.Ordinal));
        var approvePath = links["Approve"];

        // Following the link (as a person or a mail scanner) shows the case and changes nothing.
        using (var page = await api.Http.GetAsync(approvePath))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.Contains(caseId, html, StringComparison.Ordinal);
            Assert.Contains("FraudReview", html, StringComparison.Ordinal);
            Assert.Contains(mug, html, StringComparison.Ordinal);
            Assert.Contains("<form method=\"post\">", html, StringComparison.Ordinal);
            Assert.DoesNotContain(order.Email, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("Open", (await CaseRowAsync(caseId)).GetString("Status"));
        Assert.Equal("OnHold", (await api.GetOrderAsync(order.OrderId))!.Status);

        // Confirming posts the form back to the same link.
        using (var confirm = await api.Http.PostAsync(approvePath, Form(caseId, "Approve")))
        {
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
            Assert.Contains("Decision recorded", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var row = await CaseRowAsync(caseId);
        Assert.Equal(("Resolved", "Approve", OrderFlowHostFixture.ApproverEmail), (row.GetString("Status"), row.GetString("Resolution"), row.GetString("DecidedBy")));

        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.Equal("Fulfilled", done.Status);

        // The link is used up, and the other action's link no longer applies either.
        using (var replay = await api.Http.PostAsync(approvePath, Form(caseId, "Approve")))
        {
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        }

        using (var cancel = await api.Http.PostAsync(links["Cancel"], Form(caseId, "Cancel")))
        {
            Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        }

        Assert.Equal("Approve", (await CaseRowAsync(caseId)).GetString("Resolution"));
    });

    [Fact]
    public Task CasesApi_OperatorKey_RequiredAndResolvesUnknownSkuCaseByCancel() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (unknownSku, tee) = (Stock.NewSku("GHOST"), Stock.NewSku("TEE"));
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(TestOrder.WithSkus(unknownSku, tee));
        var caseId = $"{order.OrderId}-validate-1";
        using (var intake = await api.PostShopifyOrderAsync(order, $"operator-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        await api.WaitForOrderAsync(order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"on hold for case {caseId}");

        using (var anonymous = await api.Http.GetAsync("/api/cases"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/cases");
        list.Headers.Add("X-Operator-Key", OrderFlowHostFixture.OperatorKey);
        using (var listed = await api.Http.SendAsync(list))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Contains(caseId, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{Uri.EscapeDataString(caseId)}/resolve")
        {
            Content = JsonContent.Create(new { resolution = "Cancel", comment = "unknown SKU, customer refunded" }),
        };
        resolve.Headers.Add("X-Operator-Key", OrderFlowHostFixture.OperatorKey);
        using (var resolved = await api.Http.SendAsync(resolve))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        var done = await api.WaitForCompletionAsync(order.OrderId, "Cancelled");
        Assert.Equal("Cancelled", done.Status);
        Assert.Equal("Resolved", (await CaseRowAsync(caseId)).GetString("Status"));
    });

    private async Task<TableEntity> CaseRowAsync(string caseId) =>
        (await host.Table(TableNames.Cases).GetEntityAsync<TableEntity>("case", caseId)).Value;

    private static FormUrlEncodedContent Form(string caseId, string resolution) =>
        new([new("caseId", caseId), new("resolution", resolution), new("comment", "")]);
}
