using System.Security.Cryptography;
using System.Text;
using OrderFlow.Api.Webhooks;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Api.Tests.Webhooks;

public sealed class ShopifyWebhookVerifierTests
{
    private const string Secret = "shpss_test_secret_0123456789";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(TestFixtures.ShopifyOrderJson());

    [Fact]
    public void Verify_HeaderComputedIndependently_ReturnsTrue()
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var header = Convert.ToBase64String(hmac.ComputeHash(Body));

        Assert.True(ShopifyWebhookVerifier.Verify(Body, header, Secret));
        Assert.Equal(header, ShopifyWebhookVerifier.Sign(Body, Secret));
    }

    [Fact]
    public void Verify_WrongSecret_ReturnsFalse()
    {
        var header = ShopifyWebhookVerifier.Sign(Body, "another-secret");

        Assert.False(ShopifyWebhookVerifier.Verify(Body, header, Secret));
    }

    [Fact]
    public void Verify_TamperedBody_ReturnsFalse()
    {
        var header = ShopifyWebhookVerifier.Sign(Body, Secret);
        var tampered = Encoding.UTF8.GetBytes(TestFixtures.ShopifyOrderJson().Replace("\"54.51\"", "\"0.01\"", StringComparison.Ordinal));

        Assert.False(ShopifyWebhookVerifier.Verify(tampered, header, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    public void Verify_MissingOrMalformedHeader_ReturnsFalse(string? header)
    {
        Assert.False(ShopifyWebhookVerifier.Verify(Body, header, Secret));
    }
}
