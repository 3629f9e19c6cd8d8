namespace OrderFlow.Integrations.Email;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection (local smtp4dev, in-test servers).</summary>
    None,

    /// <summary>Plain connect, then upgrade with STARTTLS (port 587; Azure Communication Services).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}
