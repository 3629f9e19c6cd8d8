namespace OrderFlow.Integrations.Email;

/// <summary>
/// One outgoing email. <see cref="NotificationKey"/> identifies the logical notification: the Message-Id derives from
/// it, so a resend after a crash carries the same Message-Id and can be recognized as a duplicate.
/// </summary>
public sealed record EmailMessage(
    string ToAddress,
    string? ToName,
    string Subject,
    string TextBody,
    string HtmlBody,
    string NotificationKey,
    string? ReplyToAddress = null);
