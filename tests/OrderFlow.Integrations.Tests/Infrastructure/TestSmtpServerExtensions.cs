using OrderFlow.Integrations.Email;
using OrderFlow.Testing;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>SMTP settings that point the real sender at a <see cref="TestSmtpServer"/>.</summary>
public static class TestSmtpServerExtensions
{
    public static SmtpOptions SmtpOptions(this TestSmtpServer server, string fromAddress = "orders@shop.example.com", string fromName = "Demo Store") => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Security = SmtpSecurity.None,
        FromAddress = fromAddress,
        FromName = fromName,
        Timeout = TimeSpan.FromSeconds(10),
    };
}
