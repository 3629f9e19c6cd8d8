namespace OrderFlow.Integrations.Email;

/// <summary>A customer email template does not parse, is incomplete, or referenced data the model does not have.</summary>
public sealed class EmailTemplateException : Exception
{
    public EmailTemplateException()
    {
    }

    public EmailTemplateException(string message)
        : base(message)
    {
    }

    public EmailTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
