namespace OrderFlow.Host.Tests.Logging;

public sealed class RequestLogTests
{
    [Theory]
    [InlineData("/api/approvals/eyJhbGciOi.secret-token", "/api/approvals/[redacted]")]
    [InlineData("/api/approvals/abc?x=1", "/api/approvals/[redacted]?x=1")]
    [InlineData("/api/orders/shopify-1/status?expires=1767225600&sig=AbC-_123", "/api/orders/shopify-1/status?expires=1767225600&sig=[redacted]")]
    [InlineData("/api/orders/shopify-1/status?sig=AbC&expires=1", "/api/orders/shopify-1/status?sig=[redacted]&expires=1")]
    [InlineData("/api/orders/shopify-1", "/api/orders/shopify-1")]
    public void Redact_UrlWithCredential_ReplacesOnlyTheCredential(string pathAndQuery, string expected)
    {
        Assert.Equal(expected, RequestLog.Redact(pathAndQuery));
    }
}
