using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Fraud;

/// <summary>The recent-orders store on Azurite, and fraud screening reading it through the real activity.</summary>
public sealed class RecentOrderFraudTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TableRecentOrderStore store = new(storage.Tables);
    private readonly TableOrderStore orders = new(storage.Tables, NullLogger<TableOrderStore>.Instance);
    private readonly StepClock clock = new(Start);

    [Fact]
    public async Task ReadAsync_CountsPerKeyInTheWindow_ExcludesTheOrderItself_AndAveragesTheCustomersHistory()
    {
        var a = Keys();
        var other = Keys();
        await store.RecordOrderAsync(a, "o-old", new Money(100_00, "USD"), Start.AddDays(-10));
        await store.RecordOrderAsync(a, "o-1", new Money(200_00, "USD"), Start.AddHours(-2));
        await store.RecordOrderAsync(a, "o-1", new Money(200_00, "USD"), Start.AddHours(-2)); // retried write: once
        await store.RecordOrderAsync(a, "o-eur", new Money(999_00, "EUR"), Start.AddHours(-1));
        await store.RecordOrderAsync(a, "o-now", new Money(50_00, "USD"), Start);
        await store.RecordOrderAsync(other with { Ip = a.Ip }, "o-ip", new Money(10_00, "USD"), Start.AddMinutes(-5));
        await store.RecordFailedPaymentAsync(a, "o-f1", Start.AddHours(-3));
        await store.RecordFailedPaymentAsync(a, "o-f1", Start.AddHours(-3));
        await store.RecordFailedPaymentAsync(other with { Ip = a.Ip }, "o-f2", Start.AddHours(-1));
        await store.RecordFailedPaymentAsync(a, "o-f-old", Start.AddDays(-3));

        var history = await store.ReadAsync(a, "o-now", "USD", Start.AddHours(-24));

        // Earlier orders: o-old, o-1, o-eur (o-now excluded); average over the USD ones.
        Assert.Equal(3, history.PriorOrders);
        Assert.Equal(150_00, history.AveragePriorValueMinorUnits);
        Assert.Equal(2, history.RecentOrdersFromEmail);
        Assert.Equal(3, history.RecentOrdersFromIp);
        Assert.Equal(2, history.RecentOrdersToAddress);
        Assert.Equal(2, history.RecentFailedPayments);
    }

    [Fact]
    public async Task ReadAsync_NothingRecorded_IsAFirstOrder() =>
        Assert.Equal(FraudHistory.None, await store.ReadAsync(Keys(), "o-x", "USD", Start.AddHours(-24)));

    [Fact]
    public async Task Table_HoldsHashesOnly_NeverTheEmailIpOrAddress()
    {
        var order = NewOrder(ip: "198.51.100.23");
        await store.RecordOrderAsync(FraudKeys.For(order), order.OrderId, order.Totals.Total, Start);

        var table = await storage.Tables.GetAsync(TableNames.RecentOrders);
        var dump = string.Join("\n", table.Query<Azure.Data.Tables.TableEntity>().Select(e => e.PartitionKey + " " + string.Join(",", e.Select(kv => kv.Value))));

        Assert.DoesNotContain(order.Customer.Email, dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("198.51.100.23", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Fifth Avenue", dump, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AssessFraudActivity_FourthOrderFromOneEmailInTheWindow_VelocityAndHistoryReasons_AndRecordsTheOrder()
    {
        var rules = new FraudThresholds { VelocityOrderLimit = 2 };
        var activity = new AssessFraudActivity(orders, rules, store, clock);
        var email = $"buyer-{Guid.NewGuid():N}@example.com";

        var first = await AssessAsync(activity, NewOrder(email));
        clock.Now = Start.AddMinutes(10);
        await AssessAsync(activity, NewOrder(email));
        clock.Now = Start.AddMinutes(20);
        await AssessAsync(activity, NewOrder(email));
        clock.Now = Start.AddMinutes(30);
        var fourth = NewOrder(email);
        var result = await AssessAsync(activity, fourth);
        var again = await AssessAsync(activity, fourth); // a retried activity sees the same history

        Assert.Contains(first.Reasons, r => r.Contains("First order from this customer", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Reasons, r => r.Contains("First order", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.Contains("3 from the same email", StringComparison.Ordinal));
        Assert.Equal(result, again with { Reasons = result.Reasons });
        Assert.Equal(result.Reasons, again.Reasons);
        Assert.Equal(4, (await store.ReadAsync(FraudKeys.For(fourth), "a-later-order", "USD", Start.AddDays(-1))).PriorOrders);
    }

    [Fact]
    public async Task VerifyPaymentActivity_FailedPayments_CountTowardsTheNextOrdersScore()
    {
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        var gateway = new Mock<IPaymentGateway>();
        gateway.Setup(g => g.VerifyAsync(It.IsAny<VerifyPaymentRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PaymentVerification(PaymentState.Failed, null, null, "card declined"));
        var verify = new VerifyPaymentActivity(gateway.Object, Mock.Of<IPaymentEventStore>(), orders, store, clock);
        foreach (var declined in new[] { NewOrder(email), NewOrder(email) })
        {
            await orders.CreateAsync(declined, Start);
            await verify.RunAsync(Mock.Of<TaskActivityContext>(), new VerifyPaymentRequest(declined.OrderId, null, declined.Totals.Total));
        }

        var result = await AssessAsync(new AssessFraudActivity(orders, new FraudThresholds(), store, clock), NewOrder(email));

        Assert.Contains(result.Reasons, r => r.Contains("(+25) 2 failed payments from the same email or IP address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyPaymentActivity_PendingPaymentHolds_AreNotFailedPayments()
    {
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        var gateway = new Mock<IPaymentGateway>();
        gateway.Setup(g => g.VerifyAsync(It.IsAny<VerifyPaymentRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PaymentVerification(PaymentState.Failed, null, null, $"{VerifyPaymentActivity.PendingPrefix} WooCommerce reports the payment on-hold (gateway bacs)."));
        var verify = new VerifyPaymentActivity(gateway.Object, Mock.Of<IPaymentEventStore>(), orders, store, clock);
        foreach (var held in new[] { NewOrder(email), NewOrder(email) })
        {
            await orders.CreateAsync(held, Start);
            await verify.RunAsync(Mock.Of<TaskActivityContext>(), new VerifyPaymentRequest(held.OrderId, null, held.Totals.Total));
        }

        var result = await AssessAsync(new AssessFraudActivity(orders, new FraudThresholds(), store, clock), NewOrder(email));

        Assert.DoesNotContain(result.Reasons, r => r.Contains("failed payments", StringComparison.Ordinal));
    }

    private async Task<FraudAssessment> AssessAsync(AssessFraudActivity activity, Order order)
    {
        await orders.CreateAsync(order, clock.GetUtcNow());
        return await activity.RunAsync(Mock.Of<TaskActivityContext>(), new AssessFraudRequest(order.OrderId, null));
    }

    private static FraudKeys Keys() => FraudKeys.For(NewOrder(ip: $"10.0.{Random.Shared.Next(255)}.{Random.Shared.Next(255)}"));

    private static Order NewOrder(string? email = null, string? ip = null)
    {
        var order = TestOrders.Create();
        return order with
        {
            Customer = order.Customer with { Email = email ?? $"buyer-{Guid.NewGuid():N}@example.com" },
            ShippingAddress = order.ShippingAddress with { Line2 = email is null ? $"Apt {Guid.NewGuid():N}" : order.ShippingAddress.Line2 },
            CustomerIp = ip,
        };
    }

    private sealed class StepClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
