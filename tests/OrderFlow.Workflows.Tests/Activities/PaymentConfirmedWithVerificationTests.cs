using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 16 (PaymentConfirmedWithVerification): the payment verification writes the PaymentConfirmed status it carries
/// when, and only when, it verifies the payment; its request serializes as before when it carries none.
/// </summary>
public sealed class PaymentConfirmedWithVerificationTests
{
    private readonly ChangeFeed feed = new();
    private readonly FakeOrderStore orders;
    private readonly FakePaymentGateway gateway;
    private readonly FakePaymentEventStore payments = new();

    public PaymentConfirmedWithVerificationTests()
    {
        this.orders = new FakeOrderStore(this.feed);
        this.gateway = new FakePaymentGateway(this.feed);
    }

    [Fact]
    public async Task Verified_WritesPaymentConfirmedWithWhatWasVerified_ARetryAddsNothing()
    {
        var id = await this.ValidatedOrderAsync("16001");
        this.gateway.Script(id, PaymentState.RequiresCapture);
        var request = this.Request(id, carried: true);

        var first = await ActivityRun.RunAsync(this.Activity(), request, id);
        var again = await ActivityRun.RunAsync(this.Activity(), request, id); // delivered twice by the engine

        Assert.True(first.Verified);
        Assert.Equal(first, again);
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed], this.orders.HistoryOf(id));
        Assert.Equal($"PaymentConfirmed: {first.ConfirmedNote()}", Assert.Single(this.orders.Get(id).Timeline, t => t.Message.StartsWith("PaymentConfirmed", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public async Task NotVerified_Failed_Pending_OrHeldByAnotherOrder_WritesNothing()
    {
        var failed = await this.ValidatedOrderAsync("16002");
        var pending = await this.ValidatedOrderAsync("16003");
        var taken = await this.ValidatedOrderAsync("16004");
        this.gateway.Script(failed, PaymentState.Failed, failureReason: "card_declined");
        this.gateway.Script(pending, PaymentState.Failed, failureReason: VerifyPaymentActivity.PendingPrefix + "cash on delivery");
        await this.payments.RecordOrderAsync("pi_16004", "shop-99");

        Assert.False((await ActivityRun.RunAsync(this.Activity(), this.Request(failed, carried: true), failed)).Verified);
        Assert.False((await ActivityRun.RunAsync(this.Activity(), this.Request(pending, carried: true), pending)).Verified);
        var refused = await ActivityRun.RunAsync(this.Activity(), this.Request(taken, carried: true) with { PaymentReference = "pi_16004" }, taken);

        Assert.Equal(VerifyPaymentActivity.AlreadyUsed("pi_16004", "shop-99"), refused.FailureReason);
        foreach (var id in new[] { failed, pending, taken })
        {
            Assert.Equal(OrderStatus.Validated, this.orders.StatusOf(id));
        }
    }

    [Fact]
    public async Task VerifiedWithoutACarriedStatus_AnEarlierRevision_WritesNothing()
    {
        var id = await this.ValidatedOrderAsync("16005");

        Assert.True((await ActivityRun.RunAsync(this.Activity(), this.Request(id, carried: false), id)).Verified);

        Assert.Equal(OrderStatus.Validated, this.orders.StatusOf(id));
    }

    [Fact]
    public void Request_WithoutACarriedStatus_SerializesAsBefore_AndRoundTripsWithOne()
    {
        var plain = new VerifyPaymentRequest("shop-1", "pi_1", new Money(24_00, "USD"));
        var carried = plain with { Then = new StatusChange("shop-1", OrderStatus.PaymentConfirmed, "Payment verified.") };

        Assert.DoesNotContain("Then", JsonSerializer.Serialize(plain), StringComparison.Ordinal);
        Assert.Equal(plain, JsonSerializer.Deserialize<VerifyPaymentRequest>(JsonSerializer.Serialize(plain)));
        Assert.EndsWith(",\"Then\":{\"OrderId\":\"shop-1\",\"Status\":2,\"Note\":\"Payment verified.\"}}", JsonSerializer.Serialize(carried), StringComparison.Ordinal);
        Assert.Equal(carried, JsonSerializer.Deserialize<VerifyPaymentRequest>(JsonSerializer.Serialize(carried)));
    }

    private VerifyPaymentActivity Activity() => new(this.gateway, this.payments, this.orders, new FakeRecentOrderStore(), ActivityRun.Clock());

    private VerifyPaymentRequest Request(string id, bool carried) => new(
        id, null, new Money(24_00, "USD"), carried ? new StatusChange(id, OrderStatus.PaymentConfirmed, "Payment verified.") : null);

    private async Task<string> ValidatedOrderAsync(string number)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        await this.orders.TransitionAsync(order.OrderId, OrderStatus.Validated, "earlier", ActivityRun.Now);
        return order.OrderId;
    }
}
