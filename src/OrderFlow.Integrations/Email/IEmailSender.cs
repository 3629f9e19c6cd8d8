namespace OrderFlow.Integrations.Email;

/// <summary>Sends one email; returns the Message-Id it was sent with.</summary>
public interface IEmailSender
{
    Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
