namespace OrderFlow.Integrations.Email;

/// <summary>SMTP relay settings, section "Smtp". The password is a secret: configuration or a vault, never code or logs.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = string.Empty;

    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = string.Empty;

    public string? FromName { get; set; }

    /// <summary>Connect/send timeout for one message.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
