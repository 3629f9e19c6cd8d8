using OrderFlow.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class SmtpEmailSenderTests
{
    [Fact]
    public async Task SendAsync_Message_ArrivesWithTextHtmlReplyToAndDeterministicMessageId()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var sender = new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance);
        var email = new EmailMessage("jane@example.com", "Jane Doe", "Hello", "plain body", "<p>html body</p>", "order-1:OrderConfirmed", "support@shop.example.com");

        var messageId = await sender.SendAsync(email);

        var received = Assert.Single(smtp.Messages);
        Assert.Equal(messageId, received.MessageId);
        Assert.Equal(SmtpEmailSender.MessageIdFor("order-1:OrderConfirmed", "orders@shop.example.com"), received.MessageId);
        Assert.EndsWith("@shop.example.com", received.MessageId, StringComparison.Ordinal);
        Assert.Equal("support@shop.example.com", Assert.Single(received.ReplyTo.Mailboxes).Address);
        Assert.Equal("orders@shop.example.com", Assert.Single(received.From.Mailboxes).Address);
        Assert.Equal("Demo Store", Assert.Single(received.From.Mailboxes).Name);
        Assert.Equal("jane@example.com", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal("plain body", received.TextBody?.Trim());
        Assert.Equal("<p>html body</p>", received.HtmlBody?.Trim());
        Assert.Equal("order-1:OrderConfirmed", received.Headers[SmtpEmailSender.NotificationKeyHeader]);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused_ThrowsEmailRejectedWithCodeAndNoAddress()
    {
        await using var smtp = await RejectingSmtpServer.StartAsync();
        var options = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, FromAddress = "orders@shop.example.com", Timeout = TimeSpan.FromSeconds(10) };
        var sender = new SmtpEmailSender(Options.Create(options), NullLogger<SmtpEmailSender>.Instance);
        var email = new EmailMessage("nobody@example.com", "Nobody", "Hello", "plain", "<p>html</p>", "order-1:OrderConfirmed");

        var ex = await Assert.ThrowsAsync<EmailRejectedException>(() => sender.SendAsync(email));

        Assert.Equal(550, ex.SmtpStatusCode);
        Assert.Equal("recipient", ex.Rejected);
        Assert.DoesNotContain("nobody@example.com", ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MessageIdFor_DifferentKeys_DifferAndSameKeyRepeats()
    {
        var a = SmtpEmailSender.MessageIdFor("o:Shipped:F1", "orders@shop.example.com");

        Assert.Equal(a, SmtpEmailSender.MessageIdFor("o:Shipped:F1", "orders@shop.example.com"));
        Assert.NotEqual(a, SmtpEmailSender.MessageIdFor("o:Shipped:F2", "orders@shop.example.com"));
    }
}
