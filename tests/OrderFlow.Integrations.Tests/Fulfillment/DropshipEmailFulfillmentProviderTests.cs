using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Testing;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>The dropship purchase order, sent by the real MailKit sender to the in-process SMTP server.</summary>
public sealed class DropshipEmailFulfillmentProviderTests
{
    private const string Location = "VENDOR-MUGS";
    private const string VendorEmail = "orders@mugs-vendor.example.com";

    private readonly FulfillmentPartnerTestData data = new(Location);

    [Fact]
    public async Task DispatchAsync_VendorConfigured_EmailsThePurchaseOrderWithLinesShipToAndCallback()
    {
        await using var smtp = await TestSmtpServer.StartAsync();

        var messageId = await Provider(smtp).DispatchAsync(data.Dispatch);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(VendorEmail, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal(messageId, mail.MessageId);
        Assert.Equal($"Purchase order {data.FulfillmentId} from Demo Store", mail.Subject);
        Assert.Equal("support@shop.example.com", Assert.Single(mail.ReplyTo.Mailboxes).Address);
        var text = mail.TextBody;
        Assert.Contains("2 x SKU-MUG", text, StringComparison.Ordinal);
        Assert.Contains("1 x SKU-TEE", text, StringComparison.Ordinal);
        Assert.Contains("350 Fifth Avenue", text, StringComparison.Ordinal);
        Assert.Contains(FulfillmentPartnerTestData.LabelUrl, text, StringComparison.Ordinal);
        Assert.Contains(data.CallbackUrl, text, StringComparison.Ordinal);
        Assert.Contains("\"shortLines\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchAsync_SameDispatchTwice_BothEmailsCarryTheSameMessageIdAndNotificationKey()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var provider = Provider(smtp);

        var first = await provider.DispatchAsync(data.Dispatch);
        var again = await provider.DispatchAsync(data.Dispatch);
        var otherDispatch = await provider.DispatchAsync(data.Dispatch with { IdempotencyKey = data.Dispatch.IdempotencyKey + "-2" });

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherDispatch);
        var keys = smtp.Messages.Select(m => m.Headers[SmtpEmailSender.NotificationKeyHeader]).ToList();
        Assert.Equal(
            [DropshipEmailFulfillmentProvider.NotificationKey(data.Dispatch), DropshipEmailFulfillmentProvider.NotificationKey(data.Dispatch)],
            keys.Take(2));
    }

    [Fact]
    public async Task DispatchAsync_NoVendorEmail_ThrowsNamingTheLocationAndSendsNothing()
    {
        await using var smtp = await TestSmtpServer.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Provider(smtp).DispatchAsync(data.Dispatch with { Location = "VENDOR-TEES" }));

        Assert.Contains("'VENDOR-TEES'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task CancelAsync_VendorConfigured_EmailsTheCancellationWithLinesAndCallbackButNoAddress()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var cancellation = new Workflows.Contracts.FulfillmentCancellation(
            data.Order.OrderId, data.FulfillmentId, Location, data.Dispatch.Lines, data.Dispatch.TrackingNumber, "order-cancelled", $"{data.Order.OrderId}:cancel-{data.FulfillmentId}");

        var answer = await Provider(smtp).CancelAsync(cancellation);

        Assert.Equal(Workflows.Contracts.LocationCancelAnswer.Pending, answer.Outcome);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(VendorEmail, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal($"Cancel purchase order {data.FulfillmentId} from Demo Store", mail.Subject);
        Assert.Equal($"{cancellation.IdempotencyKey}:cancel-purchase-order", mail.Headers[SmtpEmailSender.NotificationKeyHeader]);
        var text = mail.TextBody;
        Assert.Contains("2 x SKU-MUG", text, StringComparison.Ordinal);
        Assert.Contains(data.CallbackUrl, text, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"cancelled\"", text, StringComparison.Ordinal);
        Assert.Contains(data.Dispatch.TrackingNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("350 Fifth Avenue", text, StringComparison.Ordinal);
    }

    private DropshipEmailFulfillmentProvider Provider(TestSmtpServer smtp) => new(
        new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance),
        new FulfillmentHandoffReader(data.Orders.Object, Options.Create(TestApprovals.Options())),
        Options.Create(new FulfillmentPartnersOptions { Locations = [new() { Location = Location, VendorEmail = VendorEmail, VendorName = "Mugs Vendor" }] }),
        Options.Create(TestStore.Options()),
        NullLogger<DropshipEmailFulfillmentProvider>.Instance);
}
