using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Sends email through an SMTP relay with MailKit (text + HTML alternative parts). A permanent SMTP refusal (5xx)
/// becomes <see cref="EmailRejectedException"/>; transient failures surface as they are, for the caller to retry.
/// </summary>
public sealed partial class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public const string NotificationKeyHeader = "X-OrderFlow-Notification-Key";

    private readonly SmtpOptions smtp = options.Value;

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = BuildMimeMessage(message, smtp);
        var messageId = MessageIdFor(message.NotificationKey, smtp.FromAddress);

        // SmtpClient is not thread-safe; one connection per message keeps concurrent activities independent.
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host, smtp.Port, ToSocketOptions(smtp.Security), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken);
        }

        try
        {
            await client.SendAsync(mime, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode is >= 500 and < 600)
        {
            // A permanent refusal (unknown mailbox, refused sender or content): retrying cannot help. The server's
            // text is left out on purpose, it usually quotes the address.
            LogRejected(message.NotificationKey, (int)ex.StatusCode, ex.ErrorCode);
            throw new EmailRejectedException((int)ex.StatusCode, Rejected(ex.ErrorCode));
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(message.NotificationKey, messageId);
        return messageId;
    }

    /// <summary>Builds the MIME message (exposed for tests and previews); nothing is sent.</summary>
    public static MimeMessage BuildMimeMessage(EmailMessage message, SmtpOptions smtp)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(smtp);
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = MessageIdFor(message.NotificationKey, smtp.FromAddress),
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(smtp.FromName ?? string.Empty, smtp.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName ?? string.Empty, message.ToAddress));
        if (!string.IsNullOrWhiteSpace(message.ReplyToAddress))
        {
            mime.ReplyTo.Add(MailboxAddress.Parse(message.ReplyToAddress));
        }

        mime.Headers.Add(NotificationKeyHeader, message.NotificationKey);
        return mime;
    }

    /// <summary>Deterministic Message-Id: a hash of the notification key at the sender's domain.</summary>
    public static string MessageIdFor(string notificationKey, string fromAddress)
    {
        ArgumentException.ThrowIfNullOrEmpty(notificationKey);
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "orderflow.local";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(notificationKey)))[..32];
        return $"{hash}.orderflow@{domain}";
    }

    private static string Rejected(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.RecipientNotAccepted => "recipient",
        SmtpErrorCode.SenderNotAccepted => "sender",
        _ => "message",
    };

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Email for notification {NotificationKey} sent as {MessageId}")]
    private partial void LogSent(string notificationKey, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email for notification {NotificationKey} permanently rejected: SMTP {StatusCode} ({ErrorCode})")]
    private partial void LogRejected(string notificationKey, int statusCode, SmtpErrorCode errorCode);
}
