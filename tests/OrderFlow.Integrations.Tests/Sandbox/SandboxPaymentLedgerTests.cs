using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Sandbox;

/// <summary>The sandbox gateway's payments land in Azure Tables and the sandbox reader answers reconciliation from them.</summary>
public sealed class SandboxPaymentLedgerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly SandboxPaymentLedger book = new(storage.Tables, TimeProvider.System, NullLogger<SandboxPaymentLedger>.Instance);

    private SandboxPaymentGateway Gateway() => new(book, NullLogger<SandboxPaymentGateway>.Instance);

    [Fact]
    public async Task GetPaymentFactsAsync_AutomaticCaptureVerifiedTwice_IsCapturedOnce()
    {
        var reference = $"pi_{Guid.NewGuid():N}";
        var gateway = Gateway();
        await gateway.VerifyAsync(new VerifyPaymentRequest("o1", reference, new Money(5451, "USD")));
        await gateway.VerifyAsync(new VerifyPaymentRequest("o1", reference, new Money(5451, "USD")));

        Assert.Equal(new PaymentFacts(new Money(5451, "USD"), new Money(0, "USD")), await book.GetPaymentFactsAsync(reference));
    }

    [Fact]
    public async Task GetPaymentFactsAsync_CapturesPerShipmentRetriedAndARefund_SumsEachKeyOnce()
    {
        var reference = $"{SandboxPaymentGateway.AuthorizeOnlyPrefix}_{Guid.NewGuid():N}";
        var gateway = Gateway();
        var verified = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", reference, new Money(5451, "USD")));
        await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(2500, "USD"), false, "o1:capture-F1"));
        await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(2500, "USD"), false, "o1:capture-F1"));
        await gateway.CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(2951, "USD"), true, "o1:capture-F2"));
        await book.RecordRefundAsync(reference, "o1:refund-1", new Money(1000, "USD"));
        await book.RecordRefundAsync(reference, "o1:refund-1", new Money(1000, "USD"));

        Assert.Equal(PaymentState.RequiresCapture, verified.State);
        Assert.Equal(new PaymentFacts(new Money(5451, "USD"), new Money(1000, "USD")), await book.GetPaymentFactsAsync(reference));
    }

    [Fact]
    public async Task GetPaymentFactsAsync_AuthorizedOnlyOrDeclined_IsUnknown()
    {
        var authorized = $"{SandboxPaymentGateway.AuthorizeOnlyPrefix}_{Guid.NewGuid():N}";
        var declined = $"{SandboxPaymentGateway.DeclinedPrefix}_{Guid.NewGuid():N}";
        await Gateway().VerifyAsync(new VerifyPaymentRequest("o1", authorized, new Money(5451, "USD")));
        await Gateway().VerifyAsync(new VerifyPaymentRequest("o2", declined, new Money(5451, "USD")));

        Assert.Null(await book.GetPaymentFactsAsync(authorized));
        Assert.Null(await book.GetPaymentFactsAsync(declined));
    }

    [Fact]
    public async Task CaptureAsync_NewGatewayInstance_ReplaysTheStoredFirstCapture()
    {
        var reference = $"{SandboxPaymentGateway.AuthorizeOnlyPrefix}_{Guid.NewGuid():N}";
        var first = await Gateway().CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(2500, "USD"), false, "o1:capture-F1"));
        var afterRestart = await Gateway().CaptureAsync(new CapturePaymentRequest("o1", reference, new Money(9999, "USD"), false, "o1:capture-F1"));

        Assert.Equal(first, afterRestart);
    }
}
