using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 19 (StepsCarriedTogether): the payment verification sends the OrderConfirmed email it carries after it wrote
/// PaymentConfirmed, only for a verified payment, once per key; an email it cannot send leaves the verification intact
/// and says so (the workflow sends it on its own). Requests and results serialize as before when nothing is carried.
/// </summary>
public sealed class ConfirmationWithVerificationTests
{
    private readonly ChangeFeed feed = new();
    private readonly FakeOrderStore orders;
    private readonly FakePaymentGateway gateway;
    private readonly FakePaymentEventStore payments = new();
    private readonly FakeCustomerNotifier notifier;

    public ConfirmationWithVerificationTests()
    {
        this.orders = new FakeOrderStore(this.feed);
        this.gateway = new FakePaymentGateway(this.feed);
        this.notifier = new FakeCustomerNotifier(this.feed);
    }

    [Fact]
    public async Task Verified_SendsTheCarriedEmailAfterPaymentConfirmed_ARetrySendsItOnce()
    {
        var id = await this.ValidatedOrderAsync("19001");
        this.gateway.Script(id, PaymentState.RequiresCapture);
        var statusAtSend = new List<OrderStatus?>();
        var watching = new WatchingNotifier(this.notifier, () => statusAtSend.Add(this.orders.StatusOf(id)));

        var first = await ActivityRun.RunAsync(this.Activity(watching), this.Request(id), id);
        var again = await ActivityRun.RunAsync(this.Activity(watching), this.Request(id), id); // delivered twice by the engine

        Assert.True(first.Verified);
        Assert.True(first.ConfirmationSent);
        Assert.Equal(first, again);
        Assert.Equal([OrderStatus.PaymentConfirmed, OrderStatus.PaymentConfirmed], statusAtSend.ToArray());
        var sent = Assert.Single(this.notifier.SentFor(id));
        Assert.Equal((Milestone.OrderConfirmed, (string?)null), (sent.Milestone, sent.FulfillmentId));
    }

    [Fact]
    public async Task NotVerified_SendsNothing()
    {
        var failed = await this.ValidatedOrderAsync("19002");
        var taken = await this.ValidatedOrderAsync("19003");
        this.gateway.Script(failed, PaymentState.Failed, failureReason: "card_declined");
        await this.payments.RecordOrderAsync("pi_19003", "shop-98");

        var declined = await ActivityRun.RunAsync(this.Activity(this.notifier), this.Request(failed), failed);
        var refused = await ActivityRun.RunAsync(this.Activity(this.notifier), this.Request(taken) with { PaymentReference = "pi_19003" }, taken);

        Assert.Equal((false, (bool?)null), (declined.Verified, declined.ConfirmationSent));
        Assert.Equal((false, (bool?)null), (refused.Verified, refused.ConfirmationSent));
        Assert.Equal(0, this.notifier.Calls);
    }

    [Fact]
    public async Task EmailRefused_VerificationStillSucceeds_PaymentConfirmedWritten_ConfirmationNotClaimed()
    {
        var id = await this.ValidatedOrderAsync("19004");
        this.notifier.FailBeforeSend.FailNext(1);

        var result = await ActivityRun.RunAsync(this.Activity(this.notifier), this.Request(id), id);

        Assert.True(result.Verified);
        Assert.Null(result.ConfirmationSent);
        Assert.Equal(OrderStatus.PaymentConfirmed, this.orders.StatusOf(id));
        Assert.Empty(this.notifier.SentFor(id));
        Assert.Equal(1, this.notifier.Calls);
    }

    [Fact]
    public void RequestAndResult_WithoutTheEmail_SerializeAsBefore_AndRoundTripWithIt()
    {
        var plain = new VerifyPaymentRequest("shop-1", "pi_1", new Money(24_00, "USD"), new StatusChange("shop-1", OrderStatus.PaymentConfirmed, "Payment verified."));
        var carried = plain with { ThenNotify = new CustomerNotification("shop-1", Milestone.OrderConfirmed, null) };
        var verified = new PaymentVerification(PaymentState.RequiresCapture, new Money(24_00, "USD"), "normal", null);

        Assert.DoesNotContain("ThenNotify", JsonSerializer.Serialize(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmationSent", JsonSerializer.Serialize(verified), StringComparison.Ordinal);
        Assert.Contains("\"ThenNotify\":{\"OrderId\":\"shop-1\"", JsonSerializer.Serialize(carried), StringComparison.Ordinal);
        Assert.Equal(carried.ThenNotify, JsonSerializer.Deserialize<VerifyPaymentRequest>(JsonSerializer.Serialize(carried))!.ThenNotify);
        Assert.True(JsonSerializer.Deserialize<PaymentVerification>(JsonSerializer.Serialize(verified with { ConfirmationSent = true }))!.ConfirmationSent);
    }

    private VerifyPaymentActivity Activity(Ports.ICustomerNotifier customerNotifier) =>
        new(this.gateway, this.payments, this.orders, new FakeRecentOrderStore(), ActivityRun.Clock(), customerNotifier);

    private VerifyPaymentRequest Request(string id) => new(
        id, null, new Money(24_00, "USD"), new StatusChange(id, OrderStatus.PaymentConfirmed, "Payment verified."),
        new CustomerNotification(id, Milestone.OrderConfirmed, null));

    private async Task<string> ValidatedOrderAsync(string number)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        await this.orders.TransitionAsync(order.OrderId, OrderStatus.Validated, "earlier", ActivityRun.Now);
        return order.OrderId;
    }

    /// <summary>Notes something (the order's status) each time a message is about to be sent, then sends it.</summary>
    private sealed class WatchingNotifier(FakeCustomerNotifier inner, Action beforeSend) : Ports.ICustomerNotifier
    {
        public Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
        {
            beforeSend();
            return inner.NotifyAsync(notification, cancellationToken);
        }
    }
}
