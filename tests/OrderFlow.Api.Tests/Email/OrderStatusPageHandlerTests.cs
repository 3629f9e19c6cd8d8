using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Email;

/// <summary>
/// The customer's status page behind the signed link in customer emails: HMAC over order id and expiry, HTML-encoded,
/// no customer data; altered links 403, expired 410.
/// </summary>
public sealed class OrderStatusPageHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 30, 0, TimeSpan.Zero);
    private readonly Mock<IOrderStore> orders = new();
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly Mock<TimeProvider> clock = new();
    private readonly Order order = TestOrders.Create($"shopify-{Guid.NewGuid():N}") with { OrderNumber = "#1001" };
    private DateTimeOffset now = Now;

    public OrderStatusPageHandlerTests()
    {
        clock.Setup(c => c.GetUtcNow()).Returns(() => now);
        var shipped = new FulfillmentRecord($"{order.OrderId}-F1", "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "UPS", "1Z999", "https://track.example.com/1Z999?a=1&b=<x>", null);
        orders.Setup(o => o.GetAsync(order.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderRecord(order, OrderStatus.PartiallyFulfilled, [shipped], [new TimelineEntry(Now, "case", "Fraud score 80: internal")]));
    }

    [Fact]
    public void LinkFor_SameDay_SameLinkSoEmailRetriesCarryTheSameUrl()
    {
        var first = Signer().LinkFor(order.OrderId);
        now = Now.AddHours(5);
        var later = Signer().LinkFor(order.OrderId);

        Assert.Equal(first, later);
        Assert.StartsWith($"https://shop.example.com/orders/{order.OrderId}/status?expires=", first, StringComparison.Ordinal);
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Query(first, "expires"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2027, 3, 5, 0, 0, 0, TimeSpan.Zero), expires);
    }

    [Fact]
    public async Task GetAsync_ValidLink_PageWithStatusItemsAndTrackingButNoCustomerDataOrInternals()
    {
        var link = Signer().LinkFor(order.OrderId);

        var page = Assert.IsType<HtmlPage>(await Handler().GetAsync(order.OrderId, Request(link), workflows.Object, default));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains("Order #1001", page.Html, StringComparison.Ordinal);
        Assert.Contains("Part of your order has shipped", page.Html, StringComparison.Ordinal);
        Assert.Contains("2 x Ceramic Mug", page.Html, StringComparison.Ordinal);
        Assert.Contains("54.51", page.Html, StringComparison.Ordinal);
        Assert.Contains("UPS <a href=\"https://track.example.com/1Z999?a=1&amp;b=%3Cx%3E\" rel=\"noopener noreferrer\">1Z999</a>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in new[] { TestOrders.Email, "Jane", "Doe", "Fifth Avenue", "10118", "555-0147", "Fraud", "case" })
        {
            Assert.DoesNotContain(secret, page.Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_TitleWithMarkup_Encoded()
    {
        var tricky = order with { Lines = [order.Lines[0] with { Title = "<img src=x onerror=alert(1)>" }] };
        orders.Setup(o => o.GetAsync(order.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrderRecord(tricky, OrderStatus.Received, [], []));

        var page = Assert.IsType<HtmlPage>(await Handler().GetAsync(order.OrderId, Request(Signer().LinkFor(order.OrderId)), workflows.Object, default));

        Assert.DoesNotContain("<img", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("order")]
    [InlineData("expires")]
    [InlineData("sig")]
    [InlineData("other-key")]
    public async Task GetAsync_AlteredLink_403AndNothingRead(string altered)
    {
        var link = Signer().LinkFor(order.OrderId);
        var orderId = order.OrderId;
        if (altered == "order")
        {
            orderId = "shopify-2";
        }
        else if (altered == "expires")
        {
            link = link.Replace($"expires={Query(link, "expires")}", $"expires={long.Parse(Query(link, "expires"), System.Globalization.CultureInfo.InvariantCulture) + 86_400}", StringComparison.Ordinal);
        }
        else if (altered == "sig")
        {
            var sig = Query(link, "sig");
            link = link.Replace(sig, (sig[0] == 'A' ? "B" : "A") + sig[1..], StringComparison.Ordinal);
        }
        else
        {
            var store = TestStore.Options();
            store.StatusLinkKey = new string('x', 40);
            link = new OrderStatusLinkSigner(Microsoft.Extensions.Options.Options.Create(store), Microsoft.Extensions.Options.Options.Create(TestApprovals.Options()), clock.Object).LinkFor(order.OrderId);
        }

        var page = Assert.IsType<HtmlPage>(await Handler().GetAsync(orderId, Request(link), workflows.Object, default));

        Assert.Equal(StatusCodes.Status403Forbidden, page.StatusCode);
        Assert.Contains("not valid", page.Html, StringComparison.Ordinal);
        orders.Verify(o => o.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetAsync_ExpiredLink_410FriendlyPage()
    {
        var link = Signer().LinkFor(order.OrderId);
        now = Now.AddDays(91);

        var page = Assert.IsType<HtmlPage>(await Handler().GetAsync(order.OrderId, Request(link), workflows.Object, default));

        Assert.Equal(StatusCodes.Status410Gone, page.StatusCode);
        Assert.Contains("expired", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("#1001", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?expires=1893456000")]
    [InlineData("?expires=soon&sig=abc")]
    [InlineData("?expires=1893456000&sig=***")]
    public async Task GetAsync_IncompleteLink_400(string query)
    {
        var page = Assert.IsType<HtmlPage>(await Handler().GetAsync(order.OrderId, Request("https://x.example" + query), workflows.Object, default));

        Assert.Equal(StatusCodes.Status400BadRequest, page.StatusCode);
    }

    private OrderStatusLinkSigner Signer() => TestStore.StatusLinks(clock.Object);

    private OrderStatusPageHandler Handler() => new(Signer(), orders.Object, NullLogger<OrderStatusPageHandler>.Instance);

    private static string Query(string link, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(link).Query)[name].ToString();

    private static HttpRequest Request(string link)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(new Uri(link).Query);
        return context.Request;
    }
}
