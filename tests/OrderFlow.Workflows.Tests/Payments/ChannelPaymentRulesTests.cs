using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Payments;

namespace OrderFlow.Workflows.Tests.Payments;

public sealed class ChannelPaymentRulesTests
{
    private static readonly Money Total = new(5451, "USD");

    [Theory]
    [InlineData("paid", PaymentState.Succeeded)]
    [InlineData("PAID", PaymentState.Succeeded)]
    [InlineData("authorized", PaymentState.RequiresCapture)]
    [InlineData("pending", PaymentState.Failed)]
    [InlineData("partially_paid", PaymentState.Failed)]
    [InlineData("voided", PaymentState.Failed)]
    [InlineData("refunded", PaymentState.Failed)]
    [InlineData("expired", PaymentState.Failed)]
    [InlineData("unknown", PaymentState.Failed)]
    public void Verify_ShopifyFinancialStatus_DecidesState(string status, PaymentState expected)
    {
        var (verification, _) = ChannelPaymentRules.Verify(new ChannelPayment("shopify", status, "shopify_payments", Total), Total, shipPending: false);

        Assert.Equal(expected, verification.State);
        Assert.Equal(expected != PaymentState.Failed, verification.Verified);
        Assert.Equal(expected == PaymentState.Failed ? null : Total, verification.Amount);
    }

    [Fact]
    public void Verify_ShopifyPendingUnderHold_FailsWithReasonNamingThePolicy()
    {
        var (verification, note) = ChannelPaymentRules.Verify(new ChannelPayment("shopify", "pending", "Cash on Delivery (COD)", Total), Total, shipPending: false);

        Assert.False(verification.Verified);
        Assert.StartsWith("payment_pending: Shopify reports the payment pending (gateway Cash on Delivery (COD)", verification.FailureReason, StringComparison.Ordinal);
        Assert.Contains("Payments:PendingPolicy is Hold", verification.FailureReason, StringComparison.Ordinal);
        Assert.Equal(verification.FailureReason, note);

        // Neither word the workflow reads specially: "declined" (customer told the card was declined), "processing".
        Assert.DoesNotContain("declin", verification.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("processing", verification.FailureReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Verify_ShopifyPendingUnderShip_SucceedsWithTimelineNote()
    {
        var (verification, note) = ChannelPaymentRules.Verify(new ChannelPayment("shopify", "pending", "Bank Deposit", Total), Total, shipPending: true);

        Assert.Equal(PaymentState.Succeeded, verification.State);
        Assert.True(verification.Verified);
        Assert.Contains("Payments:PendingPolicy is Ship", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ShopifyPartiallyPaidUnderShip_StillNotPaid()
    {
        var (verification, _) = ChannelPaymentRules.Verify(new ChannelPayment("shopify", "partially_paid", "manual", Total), Total, shipPending: true);

        Assert.False(verification.Verified);
        Assert.StartsWith("payment_not_paid: Shopify reports the payment partially_paid", verification.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("processing", false, false, PaymentState.Succeeded)]
    [InlineData("completed", false, false, PaymentState.Succeeded)]
    [InlineData("on-hold", true, false, PaymentState.Succeeded)]
    [InlineData("pending", false, false, PaymentState.Failed)]
    [InlineData("on-hold", false, false, PaymentState.Failed)]
    [InlineData("on-hold", false, true, PaymentState.Succeeded)]
    [InlineData("failed", false, true, PaymentState.Failed)]
    [InlineData("cancelled", false, true, PaymentState.Failed)]
    [InlineData("refunded", false, true, PaymentState.Failed)]
    public void Verify_WooCommerceStatus_DecidesState(string status, bool datePaid, bool shipPending, PaymentState expected)
    {
        var facts = new ChannelPayment("woocommerce", status, "bacs", Total, datePaid ? DateTimeOffset.UnixEpoch : null);

        var (verification, _) = ChannelPaymentRules.Verify(facts, Total, shipPending);

        Assert.Equal(expected, verification.State);
    }

    [Fact]
    public void Verify_WooCommerceOnHold_ReasonAvoidsTheWordProcessing()
    {
        var (verification, _) = ChannelPaymentRules.Verify(new ChannelPayment("woocommerce", "on-hold", "bacs", Total), Total, shipPending: false);

        Assert.StartsWith("payment_pending: WooCommerce reports the payment on-hold (gateway bacs", verification.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("processing", verification.FailureReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Verify_NoFacts_FailsClearly()
    {
        var (verification, _) = ChannelPaymentRules.Verify(null, Total, shipPending: true);

        Assert.False(verification.Verified);
        Assert.StartsWith("channel_payment_unknown:", verification.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChannelAmountDiffersFromTotal_Fails()
    {
        var (verification, _) = ChannelPaymentRules.Verify(new ChannelPayment("shopify", "paid", null, new Money(5000, "USD")), Total, shipPending: false);

        Assert.False(verification.Verified);
        Assert.Equal("channel_payment_amount_mismatch: Shopify reports 50.00 USD for the order, the order total is 54.51 USD.", verification.FailureReason);
    }
}
