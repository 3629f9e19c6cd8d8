using System.Text.Json;
using Moq;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 19 (StepsCarriedTogether): the payment verification sends the OrderConfirmed email it carries after it wrote
/// PaymentConfirmed, then screens the order for fraud as AssessFraudActivity does, only for a verified payment; an email
/// or a screening that fails leaves the verification intact and says so (the workflow does it on its own). Requests and
/// results serialize as before when nothing is carried.
/// </summary>
public sealed class StepsCarriedByVerificationTests
{
    private readonly ChangeFeed feed = new();
    private readonly FakeOrderStore orders;
    private readonly FakePaymentGateway gateway;
    private readonly FakePaymentEventStore payments = new();
    private readonly FakeCustomerNotifier notifier;
    private readonly FakeRecentOrderStore recent = new();

    public StepsCarriedByVerificationTests()
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
        Assert.Equal(first with { Fraud = null }, again with { Fraud = null });
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

        Assert.Equal((false, (bool?)null, (FraudAssessment?)null), (declined.Verified, declined.ConfirmationSent, declined.Fraud));
        Assert.Equal((false, (bool?)null, (FraudAssessment?)null), (refused.Verified, refused.ConfirmationSent, refused.Fraud));
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
    public async Task Verified_ScreensForFraudWithTheProviderRiskLevel_AsAssessFraudActivityWould()
    {
        var held = await this.ValidatedOrderAsync("19005");
        var clear = await this.ValidatedOrderAsync("19006");
        this.gateway.Script(held, PaymentState.RequiresCapture, riskLevel: "highest");
        this.gateway.Script(clear, PaymentState.RequiresCapture, riskLevel: "normal");

        var heldResult = await ActivityRun.RunAsync(this.Activity(this.notifier), this.Request(held), held);
        var clearResult = await ActivityRun.RunAsync(this.Activity(this.notifier), this.Request(clear), clear);
        // The same order screened on its own, against the same (empty) history as the carried screening saw.
        var assess = new AssessFraudActivity(this.orders, new FraudThresholds(), new FakeRecentOrderStore(), ActivityRun.Clock());
        var heldAlone = await ActivityRun.RunAsync(assess, new AssessFraudRequest(held, "highest"), held);

        Assert.True(heldResult.Fraud!.HoldForReview);
        Assert.Equal((heldAlone.Score, heldAlone.HoldForReview, heldAlone.Outcome), (heldResult.Fraud.Score, heldResult.Fraud.HoldForReview, heldResult.Fraud.Outcome));
        Assert.Equal(heldAlone.Reasons, heldResult.Fraud.Reasons);
        Assert.False(clearResult.Fraud!.HoldForReview);
        Assert.True(heldResult.ConfirmationSent);
    }

    [Fact]
    public async Task ScreeningFails_VerificationAndEmailStand_NoAssessmentReturned()
    {
        var id = await this.ValidatedOrderAsync("19007");
        var down = new Mock<IRecentOrderStore>();
        down.Setup(r => r.ReadAsync(It.IsAny<FraudKeys>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("recent-orders table timed out"));
        var activity = new VerifyPaymentActivity(this.gateway, this.payments, this.orders, down.Object, ActivityRun.Clock(), this.notifier, null, new FraudThresholds());

        var result = await ActivityRun.RunAsync(activity, this.Request(id), id);

        Assert.True(result.Verified);
        Assert.True(result.ConfirmationSent);
        Assert.Null(result.Fraud);
        Assert.Equal(OrderStatus.PaymentConfirmed, this.orders.StatusOf(id));
    }

    [Fact]
    public void RequestAndResult_WithoutTheEmail_SerializeAsBefore_AndRoundTripWithIt()
    {
        var plain = new VerifyPaymentRequest("shop-1", "pi_1", new Money(24_00, "USD"), new StatusChange("shop-1", OrderStatus.PaymentConfirmed, "Payment verified."));
        var carried = plain with { ThenNotify = new CustomerNotification("shop-1", Milestone.OrderConfirmed, null), ThenScreen = true };
        var verified = new PaymentVerification(PaymentState.RequiresCapture, new Money(24_00, "USD"), "normal", null);

        Assert.DoesNotContain("ThenNotify", JsonSerializer.Serialize(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("ThenScreen", JsonSerializer.Serialize(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("Fraud", JsonSerializer.Serialize(verified), StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmationSent", JsonSerializer.Serialize(verified), StringComparison.Ordinal);
        Assert.Contains("\"ThenNotify\":{\"OrderId\":\"shop-1\"", JsonSerializer.Serialize(carried), StringComparison.Ordinal);
        Assert.Equal(carried.ThenNotify, JsonSerializer.Deserialize<VerifyPaymentRequest>(JsonSerializer.Serialize(carried))!.ThenNotify);
        Assert.True(JsonSerializer.Deserialize<VerifyPaymentRequest>(JsonSerializer.Serialize(carried))!.ThenScreen);
        var screened = JsonSerializer.Deserialize<PaymentVerification>(JsonSerializer.Serialize(verified with { ConfirmationSent = true, Fraud = new FraudAssessment(80, ["(+80) x"], true) }))!;
        Assert.Equal((true, 80, true), (screened.ConfirmationSent, screened.Fraud!.Score, screened.Fraud.HoldForReview));
    }

    private VerifyPaymentActivity Activity(ICustomerNotifier customerNotifier) =>
        new(this.gateway, this.payments, this.orders, this.recent, ActivityRun.Clock(), customerNotifier, null, new FraudThresholds());

    private VerifyPaymentRequest Request(string id) => new(
        id, null, new Money(24_00, "USD"), new StatusChange(id, OrderStatus.PaymentConfirmed, "Payment verified."),
        new CustomerNotification(id, Milestone.OrderConfirmed, null), ThenScreen: true);

    private async Task<string> ValidatedOrderAsync(string number)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        await this.orders.TransitionAsync(order.OrderId, OrderStatus.Validated, "earlier", ActivityRun.Now);
        return order.OrderId;
    }

    /// <summary>Notes something (the order's status) each time a message is about to be sent, then sends it.</summary>
    private sealed class WatchingNotifier(FakeCustomerNotifier inner, Action beforeSend) : ICustomerNotifier
    {
        public Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
        {
            beforeSend();
            return inner.NotifyAsync(notification, cancellationToken);
        }
    }
}
