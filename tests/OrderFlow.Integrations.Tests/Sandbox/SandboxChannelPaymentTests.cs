using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Sandbox;

/// <summary>The sandbox mirrors Shopify's rules for an order whose payment Shopify holds (no Stripe reference).</summary>
public sealed class SandboxChannelPaymentTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableOrderStore orders = new(storage.Tables, NullLogger<TableOrderStore>.Instance);
    private readonly SandboxPaymentLedger book = new(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance);

    [Theory]
    [InlineData("paid", PaymentState.Succeeded)]
    [InlineData("authorized", PaymentState.RequiresCapture)]
    [InlineData("pending", PaymentState.Failed)]
    [InlineData("voided", PaymentState.Failed)]
    public async Task VerifyAsync_ShopifyOrderWithoutStripeReference_FollowsFinancialStatus(string financialStatus, PaymentState expected)
    {
        var order = await RecordSampleAsync(financialStatus);

        var result = await Gateway(PaymentsOptions.Hold).VerifyAsync(new VerifyPaymentRequest(order.OrderId, order.PaymentReference, order.Totals.Total));

        Assert.Equal(expected, result.State);
    }

    [Fact]
    public async Task VerifyAsync_PaidInShopify_RecordsTheChargeForReconciliation()
    {
        var order = await RecordSampleAsync("paid");

        await Gateway(PaymentsOptions.Hold).VerifyAsync(new VerifyPaymentRequest(order.OrderId, order.PaymentReference, order.Totals.Total));

        var facts = await book.GetPaymentFactsAsync(order.PaymentReference!);
        Assert.Equal(new Money(5451, "USD"), facts!.Captured);
    }

    [Fact]
    public async Task VerifyAsync_PendingUnderHold_FailsAndNotesTheHoldOnTheTimeline()
    {
        var order = await RecordSampleAsync("pending");

        var result = await Gateway(PaymentsOptions.Hold).VerifyAsync(new VerifyPaymentRequest(order.OrderId, order.PaymentReference, order.Totals.Total));

        Assert.StartsWith("payment_pending: Shopify reports the payment pending", result.FailureReason, StringComparison.Ordinal);
        var record = await orders.GetAsync(order.OrderId);
        Assert.Contains(record!.Timeline, e => e.Kind == "payment" && e.Message == result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_PendingUnderShip_Succeeds()
    {
        var order = await RecordSampleAsync("pending");

        var result = await Gateway("ship").VerifyAsync(new VerifyPaymentRequest(order.OrderId, order.PaymentReference, order.Totals.Total));

        Assert.True(result.Verified);
    }

    [Theory]
    [InlineData("pi_fail_9", PaymentState.Failed)]
    [InlineData("pi_auth_9", PaymentState.RequiresCapture)]
    [InlineData("pi_ok_9", PaymentState.Succeeded)]
    public async Task VerifyAsync_StripeReference_KeepsThePrefixRules(string reference, PaymentState expected)
    {
        var result = await Gateway(PaymentsOptions.Hold).VerifyAsync(new VerifyPaymentRequest("o-stripe", reference, new Money(5451, "USD")));

        Assert.Equal(expected, result.State);
    }

    private SandboxPaymentGateway Gateway(string pendingPolicy) => new(
        book,
        NullLogger<SandboxPaymentGateway>.Instance,
        new ChannelPaymentVerifier(orders, Microsoft.Extensions.Options.Options.Create(new PaymentsOptions { PendingPolicy = pendingPolicy }), TimeProvider.System, NullLogger<ChannelPaymentVerifier>.Instance));

    private async Task<Order> RecordSampleAsync(string financialStatus)
    {
        var id = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = TestFixtures.SampleShopifyOrderJson()
            .Replace("\"id\": 5678901234567", $"\"id\": {id}", StringComparison.Ordinal)
            .Replace("\"financial_status\": \"paid\"", $"\"financial_status\": \"{financialStatus}\"", StringComparison.Ordinal);
        var order = ShopifyOrderMapper.Map(json).Order!;
        Assert.Equal(financialStatus, order.Payment!.Status);
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        return order;
    }
}
