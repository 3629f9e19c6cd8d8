using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 19 (StepsCarriedTogether), the sale's posting on the last capture: <c>CapturePaymentActivity</c> posts the sale
/// its request carries once the capture is accepted, through the code <c>PostSaleActivity</c> runs, never fails the capture
/// for it, and books a reference once; the provider never sees the sale; its request and result serialize as before when
/// they carry nothing.
/// </summary>
public sealed class SaleWithCaptureActivityTests
{
    private readonly ChangeFeed feed = new();
    private readonly FakeOrderStore orders;
    private readonly FakePaymentGateway gateway;
    private readonly FakeAccountingLedger ledger;
    private readonly ListLogger<CapturePaymentActivity> logger = new();

    public SaleWithCaptureActivityTests()
    {
        this.orders = new FakeOrderStore(this.feed);
        this.gateway = new FakePaymentGateway(this.feed);
        this.ledger = new FakeAccountingLedger(this.feed);
    }

    [Fact]
    public async Task CarriedSale_CaptureAccepted_PostedThenFinalStatus_ProviderNeverSeesIt_ARetryBooksOnce()
    {
        var id = await this.ShippedOrderAsync("19301");
        var request = Request(id, carried: true);

        var first = await ActivityRun.RunAsync(this.Activity(), request, id);
        var again = await ActivityRun.RunAsync(this.Activity(), request, id); // delivered again after a crash

        Assert.Equal((true, true), (first.Captured, first.SalePosted));
        Assert.Equal(first, again);
        Assert.All(this.gateway.Captures, c => Assert.Null(c.Sale));
        Assert.Single(this.gateway.Captures);
        var posted = Assert.Single(this.ledger.Posted);
        Assert.Null(posted.Then);
        Assert.Equal($"{id}:accounting", posted.Reference);
        Assert.NotNull(posted.Lines); // read from the stored order, as PostSaleActivity does
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled], this.orders.HistoryOf(id));
        Assert.Equal(["accounting", "status"], this.orders.Get(id).Timeline.Skip(5).Take(2).Select(t => t.Kind));
        Assert.Empty(this.logger.Records);
    }

    [Fact]
    public async Task CarriedSale_CaptureRefused_NothingPosted()
    {
        var id = await this.ShippedOrderAsync("19302");
        this.gateway.DeclineCaptures();

        var result = await ActivityRun.RunAsync(this.Activity(), Request(id, carried: true), id);

        Assert.Equal((false, false), (result.Captured, result.SalePosted));
        Assert.Empty(this.ledger.Posted);
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id));
    }

    [Fact]
    public async Task CarriedSale_AccountingFails_CaptureStillSucceeds_NotPosted_WarningNamesTheOrder_PostSaleActivityThenBooksOnce()
    {
        var id = await this.ShippedOrderAsync("19303");
        this.ledger.FailAfterPost.FailNext(1); // the ledger booked it, the answer was lost
        var request = Request(id, carried: true);

        var result = await ActivityRun.RunAsync(this.Activity(), request, id);

        Assert.Equal((true, false), (result.Captured, result.SalePosted));
        Assert.Single(this.gateway.Captures);
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id));
        var warning = Assert.Single(this.logger.Records);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(id, warning.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TransientPortException), warning.Message, StringComparison.Ordinal);

        // The workflow's own step, same entry and reference: accounting books it once.
        await ActivityRun.RunAsync(new PostSaleActivity(this.ledger, this.orders, ActivityRun.Clock()), request.Sale!, id);

        Assert.Single(this.ledger.Posted);
        Assert.Equal(OrderStatus.Fulfilled, this.orders.StatusOf(id));
        Assert.Single(this.orders.Get(id).Timeline, t => t.Kind == "accounting");
    }

    [Fact]
    public async Task CarriedSale_StatusWriteFails_CaptureStillSucceeds_NotPosted()
    {
        var id = await this.ShippedOrderAsync("19304");
        var request = Request(id, carried: true) with { Sale = Request(id, carried: true).Sale! with { Then = new StatusChange(id, OrderStatus.Validated, "not allowed from InFulfillment") } };

        var result = await ActivityRun.RunAsync(this.Activity(), request, id);

        Assert.Equal((true, false), (result.Captured, result.SalePosted));
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id));
        Assert.Equal(LogLevel.Warning, Assert.Single(this.logger.Records).Level);
    }

    [Fact]
    public async Task NoCarriedSale_CapturesOnly_AsBefore()
    {
        var id = await this.ShippedOrderAsync("19305");

        var result = await ActivityRun.RunAsync(this.Activity(), Request(id, carried: false), id);

        Assert.Equal((true, false), (result.Captured, result.SalePosted));
        Assert.Empty(this.ledger.Posted);
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id));
    }

    [Fact]
    public void RequestAndResult_WithoutTheSale_SerializeAsBefore_WithItRoundTrip()
    {
        var usd = new Money(31_40, "USD");
        var bare = new CapturePaymentRequest("shop-1", "pi_1", usd, true, "shop-1:capture-shop-1-F1");
        var captured = new CaptureResult(true, usd, "ch_1", null);

        var amount = JsonSerializer.Serialize(usd);

        Assert.Equal(
            $"{{\"OrderId\":\"shop-1\",\"PaymentReference\":\"pi_1\",\"Amount\":{amount},\"FinalCapture\":true,\"IdempotencyKey\":\"shop-1:capture-shop-1-F1\"}}",
            JsonSerializer.Serialize(bare));
        Assert.Equal(
            $"{{\"Captured\":true,\"Amount\":{amount},\"ProviderReference\":\"ch_1\",\"FailureReason\":null}}",
            JsonSerializer.Serialize(captured));
        Assert.Contains("\"SalePosted\":true", JsonSerializer.Serialize(captured with { SalePosted = true }), StringComparison.Ordinal);
        var carried = Request("shop-1", carried: true);
        var json = JsonSerializer.Serialize(carried);
        Assert.Contains("\"Sale\":{", json, StringComparison.Ordinal);
        Assert.Equal(carried.Sale, JsonSerializer.Deserialize<CapturePaymentRequest>(json)!.Sale);
    }

    private CapturePaymentActivity Activity() => new(this.gateway, this.orders, ActivityRun.Clock(), this.ledger, this.logger);

    private static CapturePaymentRequest Request(string id, bool carried)
    {
        var usd = Money.Zero("USD");
        var sale = new SaleEntry(id, "#1", new Money(24_00, "USD"), new Money(2_40, "USD"), new Money(5_00, "USD"), usd, $"{id}:accounting",
            Then: new StatusChange(id, OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."));
        return new CapturePaymentRequest(id, "pi_" + id, new Money(31_40, "USD"), true, $"{id}:capture-{id}-F1", Sale: carried ? sale : null);
    }

    /// <summary>A stored two-MUG order that shipped and waits for its settlement (InFulfillment).</summary>
    private async Task<string> ShippedOrderAsync(string number)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        foreach (var status in new[] { OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment })
        {
            await this.orders.TransitionAsync(order.OrderId, status, "earlier", ActivityRun.Now);
        }

        this.gateway.Script(order.OrderId, PaymentState.RequiresCapture);
        return order.OrderId;
    }
}
