using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Storage;

/// <summary>The payment intent -> order index on Azurite: the first order to claim an intent keeps it.</summary>
public sealed class TablePaymentEventStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TablePaymentEventStore store = new(storage.Tables, TimeProvider.System, NullLogger<TablePaymentEventStore>.Instance);

    [Fact]
    public async Task RecordOrderAsync_SecondOrderClaimsABoundIntent_RefusedAndTheFirstKeepsIt()
    {
        var intent = NewIntent();

        Assert.Equal("shopify-1", await store.RecordOrderAsync(intent, "shopify-1"));
        Assert.Equal("shopify-1", await store.RecordOrderAsync(intent, "shopify-2"));

        Assert.Equal("shopify-1", await store.FindOrderAsync(intent));
    }

    [Fact]
    public async Task RecordOrderAsync_SameOrderAgain_Idempotent()
    {
        var intent = NewIntent();

        Assert.Equal("shopify-1", await store.RecordOrderAsync(intent, "shopify-1"));
        Assert.Equal("shopify-1", await store.RecordOrderAsync(intent, "shopify-1"));
        Assert.Equal("shopify-1", await store.FindOrderAsync(intent));
    }

    [Fact]
    public async Task RecordOrderAsync_OrdersClaimAtOnce_ExactlyOneWinsAndAllAgree()
    {
        var intent = NewIntent();

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => store.RecordOrderAsync(intent, $"shopify-{i}")));

        var winner = Assert.Single(answers.Distinct());
        Assert.Equal(winner, await store.FindOrderAsync(intent));
    }

    [Fact]
    public async Task VerifyPaymentActivity_SecondOrderNamesABoundIntent_FailsNamingTheFirstWithoutAskingTheProvider()
    {
        var intent = NewIntent();
        var gateway = new Mock<IPaymentGateway>();
        gateway.Setup(g => g.VerifyAsync(It.IsAny<VerifyPaymentRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((VerifyPaymentRequest r, CancellationToken _) => new PaymentVerification(PaymentState.Succeeded, r.Expected, "normal", null));
        var activity = new VerifyPaymentActivity(gateway.Object, store);
        var amount = new Money(12_00, "USD");

        var first = await activity.RunAsync(Mock.Of<TaskActivityContext>(), new VerifyPaymentRequest("shopify-1", intent, amount));
        var second = await activity.RunAsync(Mock.Of<TaskActivityContext>(), new VerifyPaymentRequest("shopify-2", intent, amount));
        var firstAgain = await activity.RunAsync(Mock.Of<TaskActivityContext>(), new VerifyPaymentRequest("shopify-1", intent, amount));

        Assert.True(first.Verified);
        Assert.True(firstAgain.Verified);
        Assert.False(second.Verified);
        Assert.Equal(PaymentState.Failed, second.State);
        Assert.Equal($"payment {intent} already used by order shopify-1", second.FailureReason);
        gateway.Verify(g => g.VerifyAsync(It.Is<VerifyPaymentRequest>(r => r.OrderId == "shopify-2"), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static string NewIntent() => $"pi_{Guid.NewGuid():N}";
}
