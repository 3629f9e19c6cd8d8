using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Approvals;

/// <summary>
/// Cases:ChatWebhookUrl: each case alert also posts {"text": ...} to the webhook with the reason and one signed link per
/// allowed resolution; transient faults are retried; a chat that stays down never stops the email.
/// </summary>
public sealed partial class ChatApproverAlertTests : IDisposable
{
    private const string Approvers = "approvers@shop.example.com";
    private const string WebhookPath = "/services/T000/B000/secret-token";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<IOrderStore> orders = new();
    private readonly Order order = TestOrders.Create($"order-{Guid.NewGuid():N}");

    public ChatApproverAlertTests()
    {
        orders.Setup(o => o.GetAsync(order.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderRecord(order, OrderStatus.OnHold, [], []));
    }

    public void Dispose() => server.Stop();

    [Fact]
    public async Task AlertAsync_WebhookSet_PostsReasonAndOneVerifiableLinkPerResolution()
    {
        server.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var provider = Build(WebhookUrl());
        var alert = provider.GetRequiredService<IApproverAlert>();

        await alert.AlertAsync(Case(ExceptionReason.FraudReview));

        var entry = Assert.Single(server.LogEntries);
        Assert.StartsWith("application/json", entry.RequestMessage.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(entry.RequestMessage.Body!);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("FraudReview", text, StringComparison.Ordinal);
        Assert.Contains("Step: charge-payment", text, StringComparison.Ordinal);
        Assert.Contains("Card looked risky.", text, StringComparison.Ordinal);
        Assert.Contains(order.OrderNumber, text, StringComparison.Ordinal);
        Assert.Contains("54.51", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOrders.Email, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fifth Avenue", text, StringComparison.Ordinal);
        Assert.DoesNotContain("555-0147", text, StringComparison.Ordinal);

        var claims = Tokens(text).Select(t =>
        {
            Assert.Equal(ApprovalTokenCheck.Valid, TestApprovals.Signer().Verify(t, out var c));
            return c!;
        }).ToList();
        Assert.Equal([CaseResolution.Approve, CaseResolution.Cancel], claims.Select(c => c.Resolution));
        Assert.All(claims, c => Assert.Equal(("case-1", Approvers), (c.CaseId, c.Approver)));
        Assert.Contains($"{TestApprovals.PublicBaseUrl}/api/approvals/", text, StringComparison.Ordinal);
        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AlertAsync_OrderAndCaseTextWithSlackMarkup_EscapedSoNoPingOrForgedLink()
    {
        server.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        var forged = TestOrders.Create($"order-{Guid.NewGuid():N}") with { OrderNumber = "#1001 <!channel> & <@U123>" };
        orders.Setup(o => o.GetAsync(forged.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrderRecord(forged, OrderStatus.OnHold, [], []));
        using var provider = Build(WebhookUrl());
        var exceptionCase = Case(ExceptionReason.FraudReview) with
        {
            OrderId = forged.OrderId,
            Error = "Warehouse said: <https://evil.example/steal|Approve> <!here>\nApprove: https://evil.example/line",
        };

        await provider.GetRequiredService<IApproverAlert>().AlertAsync(exceptionCase);

        using var json = JsonDocument.Parse(Assert.Single(server.LogEntries).RequestMessage.Body!);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U123>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://evil", text, StringComparison.Ordinal);
        Assert.Contains("#1001 &lt;!channel&gt; &amp; &lt;@U123&gt;", text, StringComparison.Ordinal);
        Assert.Contains("&lt;https://evil.example/steal|Approve&gt; &lt;!here&gt;", text, StringComparison.Ordinal);

        // The only lines that start with an action are the alert's own, each with a signed link to this app.
        var actionLines = text.Split('\n').Where(l => l.StartsWith("Approve:", StringComparison.Ordinal) || l.StartsWith("Cancel:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, actionLines.Count);
        Assert.All(actionLines, l => Assert.Contains($"{TestApprovals.PublicBaseUrl}/api/approvals/", l, StringComparison.Ordinal));
        Assert.Equal(2, Tokens(text).Count);
    }

    [Fact]
    public async Task AlertAsync_WebhookFailsOnceWith500_RetriesOnceAndSucceeds()
    {
        server.Given(Request.Create().WithPath(WebhookPath).UsingPost()).InScenario("flaky").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(500));
        server.Given(Request.Create().WithPath(WebhookPath).UsingPost()).InScenario("flaky").WhenStateIs("failed once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var provider = Build(WebhookUrl());

        await provider.GetRequiredService<IApproverAlert>().AlertAsync(Case(ExceptionReason.OutOfStock));

        Assert.Equal([500, 200], server.LogEntries.Select(e => (int)e.ResponseMessage.StatusCode!));
        orders.Verify(o => o.AppendTimelineAsync(It.IsAny<string>(), It.IsAny<TimelineEntry>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AlertAsync_WebhookPermanentlyDown_EmailStillSentAndFailureOnTimeline()
    {
        server.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var logger = new ListLogger<ChatApproverAlert>();
        using var provider = Build(WebhookUrl(), services => services.AddSingleton<ILogger<ChatApproverAlert>>(logger));

        await provider.GetRequiredService<IApproverAlert>().AlertAsync(Case(ExceptionReason.FraudReview));

        email.Verify(e => e.SendAsync(It.Is<EmailMessage>(m => m.ToAddress == Approvers), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(3, server.LogEntries.Count());
        orders.Verify(
            o => o.AppendTimelineAsync(order.OrderId, It.Is<TimelineEntry>(t => t.Message.Contains("Chat alert for case case-1 failed")), It.IsAny<CancellationToken>()),
            Times.Once);
        var warning = Assert.Single(logger.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("HTTP 503", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOrders.Email, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertAsync_WebhookUnreachable_EmailStillSent()
    {
        var port = server.Ports[0];
        server.Stop();
        using var provider = Build($"http://127.0.0.1:{port}{WebhookPath}");

        await provider.GetRequiredService<IApproverAlert>().AlertAsync(Case(ExceptionReason.FraudReview));

        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
        orders.Verify(o => o.AppendTimelineAsync(order.OrderId, It.IsAny<TimelineEntry>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("UNSET")]
    public async Task AlertAsync_WebhookUnset_EmailOnlyAndNoHttpCall(string? url)
    {
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200));
        using var provider = Build(url);

        var alert = provider.GetRequiredService<IApproverAlert>();
        await alert.AlertAsync(Case(ExceptionReason.FraudReview));
        await provider.GetRequiredService<ChatApproverAlert>().AlertAsync(Case(ExceptionReason.FraudReview));

        Assert.IsType<EmailApproverAlert>(alert);
        Assert.Empty(server.LogEntries);
        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void Resolve_WebhookSet_ComposesEmailThenChat()
    {
        using var provider = Build(WebhookUrl());

        var composite = Assert.IsType<CompositeApproverAlert>(provider.GetRequiredService<IApproverAlert>());

        Assert.IsType<EmailApproverAlert>(composite.Alerts[0]);
        Assert.IsType<ChatApproverAlert>(composite.Alerts[1]);
    }

    [Theory]
    [InlineData("http://hooks.slack.com/services/T/B/secret-token")]
    [InlineData("hooks.slack.com/services/T/B/secret-token")]
    [InlineData("ftp://127.0.0.1/secret-token")]
    public void Validate_BadWebhookUrl_FailsWithoutRepeatingTheUrl(string url)
    {
        using var provider = Build(url);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Cases:ChatWebhookUrl must be an absolute https URL (http only for localhost/loopback)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T/B/secret-token")]
    [InlineData("http://localhost:5099/hook")]
    [InlineData("")]
    public void Validate_GoodOrEmptyWebhookUrl_Passes(string url)
    {
        using var provider = Build(url);

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private string WebhookUrl() => server.Url + WebhookPath;

    private ExceptionCase Case(ExceptionReason reason) => new(
        "case-1",
        order.OrderId,
        reason,
        "charge-payment",
        "Card looked risky.",
        CasePolicy.AllowedResolutions(reason),
        DateTimeOffset.UtcNow.AddDays(3),
        CaseStatuses.Open,
        DateTimeOffset.UtcNow,
        null);

    private ServiceProvider Build(string? webhookUrl, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:TablePrefix"] = "chat",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:FromAddress"] = "orders@shop.example.com",
            ["Store:StoreName"] = "Demo Store",
            ["Store:SupportEmail"] = "support@shop.example.com",
            ["Store:HelpUrl"] = "https://shop.example.com/help",
            ["Store:OrderStatusBaseUrl"] = "https://shop.example.com/orders",
            ["Cases:ApproverEmail"] = Approvers,
            ["Cases:ChatWebhookUrl"] = webhookUrl,
            ["Approvals:SigningKey"] = TestApprovals.SigningKey,
            ["Approvals:PublicBaseUrl"] = TestApprovals.PublicBaseUrl,
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        configure?.Invoke(services);
        services.AddSingleton(email.Object);
        services.AddSingleton(orders.Object);
        services.AddOrderFlowIntegrations(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static List<string> Tokens(string text) =>
        LinkPattern().Matches(text).Select(m => m.Groups["token"].Value).ToList();

    [GeneratedRegex(@"/api/approvals/(?<token>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
