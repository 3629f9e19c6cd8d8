using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The mail server goes down mid-run on the real host (persistent engine): no order is lost, every problem is a case in
/// the cases API and the console with its alert failure shown, and once mail is back each case's approver alert goes
/// out exactly once (the case sweeper), after which the orders complete.
/// </summary>
public sealed class SmtpOutageTests(SmtpOutageTests.Fixture host, ITestOutputHelper output) : IClassFixture<SmtpOutageTests.Fixture>
{
    private static readonly TimeSpan SweepWait = CaseAlertSweepAfter + TimeSpan.FromMinutes(1);

    private static TimeSpan CaseAlertSweepAfter => OrderFlow.Integrations.Cases.CaseAlertSweep.AlertAfter;

    [Fact]
    public Task SmtpStoppedMidRun_OrdersKeptCasesShownAndAlertsSentOnceWhenMailIsBack() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var plain = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        var risky = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            ApprovalEmails.RiskyPayment(root);
        });

        await host.Smtp.StopAsync();
        foreach (var order in new[] { plain, risky })
        {
            using var intake = await api.PostShopifyOrderAsync(order, $"outage-{order.ShopifyId}");
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        // Mail is down: the fraud case holds its order, each undeliverable customer email becomes a NotificationFailed
        // case, and no workflow fails. Every case shows why nobody was alerted.
        var held = await api.WaitForOrderAsync(
            risky.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step?.Contains("-fraud-", StringComparison.Ordinal) == true, "on hold for fraud review", TimeSpan.FromMinutes(3));
        var fraudCase = held.Workflow!.Step!["on-hold:".Length..];
        var failedAlerts = await Poll.UntilAsync(
            () => OpenCasesAsync(plain.OrderId, risky.OrderId),
            cases => cases.Any(c => Is(c, "orderId", plain.OrderId)) && cases.Any(c => Is(c, "caseId", fraudCase))
                && cases.All(c => c["alertError"]?.GetValue<string>() is { Length: > 0 }),
            "open cases of both orders, each with its alert failure recorded",
            TimeSpan.FromMinutes(3));
        var caseIds = failedAlerts.Select(c => c["caseId"]!.GetValue<string>()).ToList();
        Assert.All(failedAlerts, c => Assert.StartsWith("Approver alert failed:", c["alertError"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(failedAlerts.Where(c => !Is(c, "caseId", fraudCase)), c => Assert.Equal("NotificationFailed", c["reason"]!.GetValue<string>()));

        var console = await ConsoleHomeAsync();
        Assert.All(caseIds, id => Assert.Contains(id, console, StringComparison.Ordinal));
        Assert.Contains("Alert failed", console, StringComparison.Ordinal);
        foreach (var order in new[] { plain, risky })
        {
            Assert.NotEqual("Failed", (await api.GetOrderAsync(order.OrderId))!.Workflow?.RuntimeStatus);
        }

        Assert.Empty(host.Smtp.Messages);

        // Mail is back: the case sweeper alerts every case.
        await host.Smtp.RestartAsync();
        await Poll.UntilAsync(
            () => Task.FromResult(caseIds.Where(id => !host.Smtp.Messages.Any(m => NotificationEmails.KeyOf(m) == $"case:{id}")).ToList()),
            missing => missing.Count == 0, "an approver email for every case", SweepWait);
        await Poll.UntilAsync(
            () => OpenCasesAsync(plain.OrderId, risky.OrderId),
            cases => cases.Where(c => caseIds.Contains(c["caseId"]!.GetValue<string>())).All(c => c["alertError"] is null && c["alertFailedAt"] is null),
            "alert failures cleared once the alerts went out");

        // The orders go on from where they were: the approver approves through the alert's link, the warehouse ships.
        var fraudAlert = host.Smtp.Messages.First(m => NotificationEmails.KeyOf(m) == $"case:{fraudCase}");
        using (var confirm = await api.Http.PostAsync(
            ApprovalEmails.Links(fraudAlert)["Approve"],
            new FormUrlEncodedContent(new Dictionary<string, string> { ["caseId"] = fraudCase, ["resolution"] = "Approve", ["comment"] = "" })))
        {
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        }

        foreach (var order in new[] { plain, risky })
        {
            await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
            Assert.Equal("Fulfilled", (await api.WaitForCompletionAsync(order.OrderId, "Fulfilled")).Status);
        }

        // Many sweeper passes ran meanwhile (every 2 s): still exactly one alert per case.
        Assert.All(caseIds, id => Assert.Single(host.Smtp.Messages, m => NotificationEmails.KeyOf(m) == $"case:{id}"));
    });

    private static bool Is(JsonObject c, string field, string value) => c[field]?.GetValue<string>() == value;

    private async Task<List<JsonObject>> OpenCasesAsync(params string[] orderIds)
    {
        using var response = await host.Api.SendAsOperatorAsync(HttpMethod.Get, "/api/cases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cases = JsonNode.Parse(await response.Content.ReadAsStringAsync()) switch
        {
            JsonArray array => array,
            JsonObject o when o["cases"] is JsonArray array => array,
            var other => throw new InvalidOperationException($"unexpected cases body: {other?.ToJsonString()}"),
        };
        return cases.OfType<JsonObject>().Where(c => orderIds.Contains(c["orderId"]?.GetValue<string>())).ToList();
    }

    private async Task<string> ConsoleHomeAsync()
    {
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/console/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = OrderFlowHostFixture.OperatorKey }),
        };
        login.Headers.Add("Origin", $"http://{host.Host.BaseAddress.Authority}");
        using var client = LoopbackClient.From(host.Host.BaseAddress, "127.0.0.1", allowAutoRedirect: false);
        using var signedIn = await client.SendAsync(login);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var home = new HttpRequestMessage(HttpMethod.Get, "/api/console");
        home.Headers.Add("Cookie", cookie);
        using var page = await client.SendAsync(home);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>A host of its own (the test stops its mail server) whose case sweeper runs every 2 seconds.</summary>
    public sealed class Fixture : OrderFlowHostFixture
    {
        protected override void AddSettings(IDictionary<string, string> environment) =>
            environment["Cases__SweepInterval"] = "00:00:02";
    }
}
