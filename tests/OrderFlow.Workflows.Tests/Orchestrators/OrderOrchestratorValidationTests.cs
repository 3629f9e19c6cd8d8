using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Orders that validation refuses, on the real engine: they go to a case like every invalid order and are never
/// paid or handed to a warehouse; and what the case and the approver alerts say never quotes the customer's data.
/// </summary>
public sealed class OrderOrchestratorValidationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_DiscountLargerThanSubtotal_OpensOrderInvalidCaseAndNeverPaysOrShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));

        // 40.00 of goods + 5.00 shipping + 4.00 tax - 89.00 discount = -40.00: the sums add up, the sign does not.
        var order = TestOrders.Create("3101", ("MUG", 2, 20_00));
        order = order with { Totals = order.Totals with { Discount = new Money(89_00, "USD"), Total = new Money(-40_00, "USD") } };
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var invalid = await h.CaseOpenedAsync(id, ExceptionReason.OrderInvalid);
        await h.DecideAsync(invalid, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal("validate", invalid.Step);
        Assert.Contains("[totals.discount/notAboveSubtotal]", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("[totals.total/nonNegative]", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([OrderStatus.Received, OrderStatus.OnHold, OrderStatus.Cancelled], h.Ports.Orders.HistoryOf(id));
        Assert.Equal(0, h.Ports.Payments.VerifyCalls);
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Empty(h.Ports.Fulfillment.Dispatches);
        Assert.Empty(h.Ports.Carrier.Requests);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0), (mug!.OnHand, mug.Reserved));
    }

    [Fact]
    public async Task RunAsync_AddressWithCanaryValues_NoCanaryInTimelineCaseEmailAlertOrChatAlert()
    {
        string[] canaries = ["Zebulon Quillfeather", "zebulon.canary@example.test", "0199 7777 1234", "77 Canaryfeather Lane", "CANARY-77", "Canaryshire"];
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var address = new Address(canaries[0], canaries[3], null, "Springfield", canaries[5], canaries[4], "US", "+1 555 " + canaries[2]);
        var order = TestOrders.Create("3102", address, ("MUG", 1, 12_00));
        order = order with { Customer = order.Customer with { Email = canaries[1], FirstName = "Zebulon", LastName = "Quillfeather" } };
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var opened = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);

        // Validation named each failed field and rule (so the case is still actionable) ...
        Assert.Contains("[shippingAddress.postalCode/postalCodeFormat]", opened.Error, StringComparison.Ordinal);
        Assert.Contains("[shippingAddress.province/subdivisionCode]", opened.Error, StringComparison.Ordinal);
        Assert.Contains("[shippingAddress.phone/", opened.Error, StringComparison.Ordinal);

        // ... and no text a person or another system reads carries the customer's values.
        var record = await h.Ports.Orders.GetAsync(id);
        var exceptionCase = new ExceptionCase(
            opened.CaseId, opened.OrderId, opened.Reason, opened.Step, opened.Error, opened.AllowedResolutions, opened.Deadline,
            CaseStatuses.Open, DateTimeOffset.UtcNow, null);
        var (email, chat) = await RenderAlertsAsync(h, exceptionCase);
        var texts = new List<(string Where, string Text)> { ("case", opened.Error), ("email subject", email.Subject), ("email text", email.TextBody), ("email html", email.HtmlBody), ("chat", chat) };
        texts.AddRange(record!.Timeline.Select(t => ("timeline", t.Message)));
        foreach (var (where, text) in texts)
        {
            foreach (var canary in canaries.Append("Zebulon").Append("Quillfeather"))
            {
                Assert.False(text.Contains(canary, StringComparison.OrdinalIgnoreCase), $"The {where} text quotes customer data '{canary}': {text}");
            }
        }
    }

    private static async Task<(EmailMessage Email, string Chat)> RenderAlertsAsync(WorkflowHarness h, ExceptionCase exceptionCase)
    {
        var cases = Microsoft.Extensions.Options.Options.Create(new CasesOptions { ApproverEmail = "approvers@shop.example.test", ChatWebhookUrl = "https://chat.example.test/hook" });
        var store = Microsoft.Extensions.Options.Options.Create(new StoreOptions { StoreName = "Demo Store" });
        var signer = new ApprovalLinkSigner(
            Microsoft.Extensions.Options.Options.Create(new ApprovalsOptions { SigningKey = new string('k', 40), PublicBaseUrl = "https://ops.example.test" }), TimeProvider.System);

        EmailMessage? sent = null;
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback<EmailMessage, CancellationToken>((m, _) => sent = m)
            .ReturnsAsync("message-1");
        await new EmailApproverAlert(sender.Object, h.Ports.Orders, cases, store, signer, NullLogger<EmailApproverAlert>.Instance).AlertAsync(exceptionCase);

        string? posted = null;
        var handler = new Mock<HttpMessageHandler>();
        handler.Protected()
            .Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .Returns<HttpRequestMessage, CancellationToken>(async (request, ct) =>
            {
                posted = await request.Content!.ReadAsStringAsync(ct);
                return new HttpResponseMessage(HttpStatusCode.OK);
            });
        var clients = new Mock<IHttpClientFactory>();
        clients.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(handler.Object));
        await new ChatApproverAlert(clients.Object, h.Ports.Orders, cases, store, signer, TimeProvider.System, NullLogger<ChatApproverAlert>.Instance)
            .AlertAsync(exceptionCase);

        Assert.NotNull(sent);
        Assert.NotNull(posted);
        return (sent, posted);
    }
}
