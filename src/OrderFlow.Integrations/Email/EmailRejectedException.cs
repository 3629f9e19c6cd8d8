namespace OrderFlow.Integrations.Email;

/// <summary>
/// The mail server refused a message for good (SMTP 5xx: unknown mailbox, sender or message refused). Retrying the
/// same message cannot help. The message names the SMTP code only: server texts often quote the address.
/// </summary>
public sealed class EmailRejectedException : Exception
{
    public EmailRejectedException()
    {
    }

    public EmailRejectedException(string message)
        : base(message)
    {
    }

    public EmailRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmailRejectedException(int smtpStatusCode, string rejected)
        : base($"The mail server permanently rejected the {rejected} (SMTP {smtpStatusCode}).")
    {
        SmtpStatusCode = smtpStatusCode;
        Rejected = rejected;
    }

    /// <summary>The SMTP reply code, e.g. 550.</summary>
    public int SmtpStatusCode { get; }

    /// <summary>What was refused: "recipient", "sender" or "message".</summary>
    public string Rejected { get; } = "message";
}
