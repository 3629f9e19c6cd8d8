using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Sandbox;

public sealed class SandboxPaymentGatewayTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly Money Expected = new(5451, "USD");
    private readonly SandboxPaymentGateway gateway = new(
        new SandboxPaymentLedger(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance), NullLogger<SandboxPaymentGateway>.Instance);

    [Theory]
    [InlineData("pi_3QfR2sLkdIwHu7ix", PaymentState.Succeeded, "normal", null)]
    [InlineData("pi_fail_1", PaymentState.Failed, "normal", "card_declined")]
    [InlineData("pi_auth_1", PaymentState.RequiresCapture, "normal", null)]
    [InlineData("pi_risk_1", PaymentState.Succeeded, "highest", null)]
    [InlineData("pi_nomulti_1", PaymentState.RequiresCapture, "normal", null)]
    public async Task VerifyAsync_ReferencePrefix_DecidesOutcome(string reference, PaymentState state, string risk, string? reason)
    {
        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", reference, Expected));

        Assert.Equal(state, result.State);
        Assert.Equal(risk, result.RiskLevel);
        Assert.Equal(reason, result.FailureReason);
        Assert.Equal(state == PaymentState.Failed ? null : Expected, result.Amount);
        Assert.Equal(state != PaymentState.Failed, result.Verified);
    }

    [Fact]
    public async Task VerifyAsync_NoReference_Fails()
    {
        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", null, Expected));

        Assert.False(result.Verified);
        Assert.Equal("missing_payment_reference", result.FailureReason);
    }

    [Fact]
    public async Task CaptureAsync_SameKeyTwice_ReturnsFirstCapture()
    {
        var first = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_auth_1", new Money(2500, "USD"), false, "o1:capture-F1"));
        var again = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_auth_1", new Money(9999, "USD"), false, "o1:capture-F1"));
        var other = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_auth_1", new Money(2951, "USD"), true, "o1:capture-F2"));

        Assert.True(first.Captured);
        Assert.Equal(first, again);
        Assert.Equal(2500, again.Amount.MinorUnits);
        Assert.NotEqual(first.ProviderReference, other.ProviderReference);
    }

    [Fact]
    public async Task RefundAsync_AuthorizationNeverCaptured_VoidsItAndBooksNoRefund()
    {
        // Found by the soak: a cancelled authorize-only order was "refunded" money never collected (refunds > captures).
        var reference = $"pi_auth_{Guid.NewGuid():N}";
        var book = new SandboxPaymentLedger(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance);
        await gateway.VerifyAsync(new VerifyPaymentRequest("o2", reference, Expected));

        var first = await gateway.RefundAsync(new RefundPaymentRequest("o2", reference, Expected, "customer-request", "o2:refund-cancel"));
        var again = await gateway.RefundAsync(new RefundPaymentRequest("o2", reference, Expected, "customer-request", "o2:refund-cancel"));

        Assert.True(first.Succeeded);
        Assert.True(first.Voided);
        Assert.Equal(first, again);
        var facts = await book.GetPaymentFactsAsync(reference);
        Assert.Equal(0, facts?.Refunded.MinorUnits ?? 0);
        Assert.Equal(0, facts?.Captured.MinorUnits ?? 0);
    }

    [Fact]
    public async Task RefundAsync_AfterACapture_RecordsARefund()
    {
        var reference = $"pi_auth_{Guid.NewGuid():N}";
        var book = new SandboxPaymentLedger(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance);
        await gateway.CaptureAsync(new CapturePaymentRequest("o3", reference, new Money(2500, "USD"), true, "o3:capture-F1"));

        var refund = await gateway.RefundAsync(new RefundPaymentRequest("o3", reference, new Money(1000, "USD"), "return", "o3:refund-return"));

        Assert.True(refund.Succeeded);
        Assert.False(refund.Voided);
        var facts = await book.GetPaymentFactsAsync(reference);
        Assert.Equal(2500, facts!.Captured.MinorUnits);
        Assert.Equal(1000, facts.Refunded.MinorUnits);
    }

    [Fact]
    public async Task RefundAsync_PaidAtVerification_RecordsARefund()
    {
        var reference = $"pi_{Guid.NewGuid():N}";
        var book = new SandboxPaymentLedger(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance);
        await gateway.VerifyAsync(new VerifyPaymentRequest("o4", reference, Expected));

        var refund = await gateway.RefundAsync(new RefundPaymentRequest("o4", reference, Expected, "customer-request", "o4:refund-cancel"));

        Assert.False(refund.Voided);
        Assert.Equal(Expected, (await book.GetPaymentFactsAsync(reference))!.Refunded);
    }

    [Theory]
    [InlineData("pi_auth_1", true)]
    [InlineData("pi_nomulti_1", false)]
    [InlineData("pi_3QfR2sLkdIwHu7ix", null)]
    public async Task VerifyAsync_ReferencePrefix_SaysWhetherMulticaptureIsAvailable(string reference, bool? multicapture)
    {
        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", reference, Expected));

        Assert.Equal(multicapture, result.Multicapture);
        Assert.Equal(multicapture == false, result.CapturesOnce);
    }

    [Fact]
    public async Task CaptureAsync_NoMulticapture_FirstFinalCaptureTakesItAndALaterOneIsRefused()
    {
        var reference = $"pi_nomulti_{Guid.NewGuid():N}";

        var whole = await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, Expected, true, "o1:capture-F1"));
        var replayed = await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, Expected, true, "o1:capture-F1"));
        var later = await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(100, "USD"), true, "o1:capture-F2"));

        Assert.True(whole.Captured);
        Assert.Equal(whole, replayed);
        Assert.False(later.Captured);
        Assert.Equal("payment_intent_unexpected_state: already captured", later.FailureReason);
    }

    [Fact]
    public async Task CaptureAsync_NoMulticaptureNotFinal_IsRefusedAndNothingIsCaptured()
    {
        var reference = $"pi_nomulti_{Guid.NewGuid():N}";

        var partial = await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(2500, "USD"), false, "o1:capture-F1"));
        var whole = await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, Expected, true, "o1:capture-F2"));

        Assert.False(partial.Captured);
        Assert.Equal("payment_intent_unexpected_state: final_capture false needs multicapture", partial.FailureReason);
        Assert.True(whole.Captured);
    }
}
