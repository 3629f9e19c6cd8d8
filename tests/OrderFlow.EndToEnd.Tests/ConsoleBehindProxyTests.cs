using System.Net;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The console behind a TLS-terminating proxy (127.0.0.1 is the configured proxy; 127.0.0.2 is a client reaching the host
/// directly), sign-out, and request logs without approval tokens.
/// </summary>
public sealed class ConsoleBehindProxyTests(BehindProxyHostFixture host, ITestOutputHelper output) : IClassFixture<BehindProxyHostFixture>
{
    [Fact]
    public Task Login_ForwardedProtoHttpsFromKnownProxy_CookieIsSecure() => host.RunAsync(output, async () =>
    {
        using var proxy = LoopbackClient.From(host.Host.BaseAddress, BehindProxyHostFixture.Proxy, allowAutoRedirect: false);

        using var response = await PostFormAsync(proxy, "/api/console/login", "https", ("key", OrderFlowHostFixture.OperatorKey));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public Task Login_ForwardedProtoFromAnUnlistedClient_IsIgnored() => host.RunAsync(output, async () =>
    {
        using var direct = LoopbackClient.From(host.Host.BaseAddress, "127.0.0.2", allowAutoRedirect: false);

        // The request stays http: an https Origin is another origin now, and an http one gets a cookie without Secure.
        using var refused = await PostFormAsync(direct, "/api/console/login", "https", ("key", OrderFlowHostFixture.OperatorKey));
        using var plain = await PostFormAsync(direct, "/api/console/login", "http", ("key", OrderFlowHostFixture.OperatorKey), forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, plain.StatusCode);
        Assert.DoesNotContain("secure", Assert.Single(plain.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public Task Logout_FromTheConsole_ExpiresTheCookieAndCrossSiteIsRefused() => host.RunAsync(output, async () =>
    {
        using var proxy = LoopbackClient.From(host.Host.BaseAddress, BehindProxyHostFixture.Proxy, allowAutoRedirect: false);

        using var signedOut = await PostFormAsync(proxy, "/api/console/logout", "https");
        using var crossSite = await PostFormAsync(proxy, "/api/console/logout", "https", origin: "https://evil.example.test");

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal("/api/console/login", signedOut.Headers.Location?.ToString());
        var cookie = Assert.Single(signedOut.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("orderflow_console=;", cookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.False(crossSite.Headers.Contains("Set-Cookie"));
    });

    [Fact]
    public Task ApprovalLinkAndStatusLink_Requested_HostLogShowsThemRedacted() => host.RunAsync(output, async () =>
    {
        var token = "tok" + Guid.NewGuid().ToString("N");
        var sig = "sig" + Guid.NewGuid().ToString("N");
        var mark = host.Log.Mark;

        using var approval = await host.Api.Http.GetAsync($"/api/approvals/{token}");
        using var status = await host.Api.Http.GetAsync($"/api/orders/order-1/status?expires=1&sig={sig}");

        var log = await Poll.UntilAsync(
            () => Task.FromResult(host.Log.Since(mark, maxLines: 10_000)),
            text => text.Contains("/api/approvals/[redacted]", StringComparison.Ordinal) && text.Contains("sig=[redacted]", StringComparison.Ordinal),
            "redacted request lines in the host log");
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(sig, log, StringComparison.Ordinal);
    });

    private async Task<HttpResponseMessage> PostFormAsync(
        HttpClient client, string path, string originScheme, (string Name, string Value)? field = null, string? forwardedProto = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(field is { } f ? [new(f.Name, f.Value)] : Array.Empty<KeyValuePair<string, string>>()),
        };
        request.Headers.Add("Origin", origin ?? $"{originScheme}://{host.Host.BaseAddress.Authority}");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto ?? originScheme);
        return await client.SendAsync(request);
    }
}
