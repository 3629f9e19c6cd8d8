namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A host of its own behind a "TLS proxy" at 127.0.0.1 (ForwardedHeaders:KnownProxies), with ASP.NET Core's request
/// logging turned up to Information as an operator might, to show the host's logs still carry no approval token.
/// </summary>
public sealed class BehindProxyHostFixture : OrderFlowHostFixture
{
    public const string Proxy = "127.0.0.1";

    protected override void AddSettings(IDictionary<string, string> environment)
    {
        environment["ForwardedHeaders__KnownProxies"] = Proxy;
        environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Information";
    }
}
