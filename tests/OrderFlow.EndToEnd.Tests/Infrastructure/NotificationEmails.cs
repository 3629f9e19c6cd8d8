using MimeKit;
using OrderFlow.Testing;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Finds the host's emails by the notification key header it puts on each one.</summary>
public static class NotificationEmails
{
    /// <summary>Header the host puts on every email: "{orderId}:{milestone}[:{fulfillmentId}]" or "case:{caseId}".</summary>
    public const string KeyHeader = "X-OrderFlow-Notification-Key";

    public static string? KeyOf(MimeMessage message) => message.Headers[KeyHeader];

    /// <summary>Customer emails of one order (their notification key starts with the order id).</summary>
    public static IReadOnlyList<MimeMessage> ForOrder(this TestSmtpServer server, string orderId) =>
        server.Messages.Where(m => KeyOf(m)?.StartsWith(orderId + ":", StringComparison.Ordinal) == true).ToList();
}
