using System.Security.Cryptography;
using System.Text;
using OrderFlow.Api.Webhooks;

namespace OrderFlow.Api.Tests.Webhooks;

/// <summary>The t=,v1= callback signature: what it covers, the tolerance window, several v1 entries and malformed headers.</summary>
public sealed class CallbackSignatureTests
{
    private const string Secret = "callback-signature-secret-0123";
    private const string Path = "/api/fulfillments/shopify-1001-F1/events";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"status":"shipped","eventId":"evt-1"}""");
    private static readonly TimeSpan Tolerance = CallbackSignature.DefaultTolerance;

    [Fact]
    public void Sign_IsTheHexHmacOfTimestampMethodPathAndBody()
    {
        var header = CallbackSignature.Sign(Secret, Now, "post", Path, Body);

        var signed = Encoding.UTF8.GetBytes($"{Now.ToUnixTimeSeconds()}.POST.{Path}.").Concat(Body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        Assert.Equal($"t={Now.ToUnixTimeSeconds()},v1={expected}", header);
        Assert.True(CallbackSignature.Verify(header, "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
        Assert.True(CallbackSignature.Verify(header.ToUpperInvariant().Replace("T=", "t=", StringComparison.Ordinal).Replace("V1=", "v1=", StringComparison.Ordinal), "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
    }

    [Fact]
    public void Sign_TheReadmeExample_GivesTheDocumentedHeader()
    {
        var body = Encoding.UTF8.GetBytes("""{"status":"shipped","eventId":"wh-east-88412","occurredAt":"2026-12-04T11:59:30Z"}""");

        var header = CallbackSignature.Sign(
            "local-dev-fulfillment-secret", DateTimeOffset.FromUnixTimeSeconds(1796385600), "POST", "/api/fulfillments/shopify-5551234-F1/events", body);

        Assert.Equal("t=1796385600,v1=b914b62d438829ae0faf68bd13185b8f541cf39b0263e446552c72a72206381c", header);
    }

    [Fact]
    public void Verify_AnotherPathMethodBodyOrTimestamp_Refused()
    {
        var header = CallbackSignature.Sign(Secret, Now, "POST", Path, Body);
        var v1 = header[header.IndexOf(",v1=", StringComparison.Ordinal)..];

        Assert.False(CallbackSignature.Verify(header, "POST", "/api/fulfillments/shopify-1002-F1/events", Body, [Secret], Now, Tolerance).IsValid);
        Assert.False(CallbackSignature.Verify(header, "PUT", Path, Body, [Secret], Now, Tolerance).IsValid);
        Assert.False(CallbackSignature.Verify(header, "POST", Path, [.. Body, (byte)' '], [Secret], Now, Tolerance).IsValid);
        Assert.False(CallbackSignature.Verify($"t={Now.ToUnixTimeSeconds() + 1}{v1}", "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void Verify_TimestampWindow_BothWays(int offsetSeconds, bool valid)
    {
        var header = CallbackSignature.Sign(Secret, Now.AddSeconds(offsetSeconds), "POST", Path, Body);

        Assert.Equal(valid, CallbackSignature.Verify(header, "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
    }

    [Fact]
    public void Verify_RotationAndSeveralV1Entries_TheMatchingSecretsIndex()
    {
        var old = CallbackSignature.Sign("the-old-callback-secret-01", Now, "POST", Path, Body);
        var fresh = CallbackSignature.Sign(Secret, Now, "POST", Path, Body);
        var both = $"{old},{fresh[fresh.IndexOf("v1=", StringComparison.Ordinal)..]}";

        Assert.Equal(1, CallbackSignature.Verify(old, "POST", Path, Body, [Secret, "the-old-callback-secret-01"], Now, Tolerance).SecretIndex);
        Assert.Equal(0, CallbackSignature.Verify(both, "POST", Path, Body, [Secret], Now, Tolerance).SecretIndex);
        Assert.False(CallbackSignature.Verify(old, "POST", Path, Body, [Secret, "an-unrelated-secret-0123"], Now, Tolerance).IsValid);
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("", "is missing")]
    [InlineData("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=", "must be \"t=<unix seconds>,v1=<hex HMAC-SHA256>\"")]
    [InlineData("t=1796385600", "must be")]
    [InlineData("v1=00", "must be")]
    [InlineData("t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000", "must be")]
    [InlineData("t=1,t=2,v1=0000000000000000000000000000000000000000000000000000000000000000", "must be")]
    [InlineData("t=1796385600,v1=zz00000000000000000000000000000000000000000000000000000000000000", "must be")]
    [InlineData("t=-1796385600,v1=0000000000000000000000000000000000000000000000000000000000000000", "must be")]
    [InlineData("t=1796385600,v1=0000000000000000000000000000000000000000000000000000000000000000", "does not match POST /api/fulfillments/shopify-1001-F1/events")]
    public void Verify_MalformedOrWrong_RefusedSayingWhy(string? header, string expected)
    {
        var verdict = CallbackSignature.Verify(header, "POST", Path, Body, [Secret], Now, Tolerance);

        Assert.False(verdict.IsValid);
        Assert.Contains(expected, verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MoreV1EntriesThanAllowedOrAnOverlongHeader_Refused()
    {
        var valid = CallbackSignature.Sign(Secret, Now, "POST", Path, Body);
        var v1 = valid[valid.IndexOf("v1=", StringComparison.Ordinal)..];
        var many = $"t={Now.ToUnixTimeSeconds()}," + string.Join(",", Enumerable.Repeat(v1, CallbackSignature.MaxSignatures + 1));
        var padded = valid + "," + new string(' ', CallbackSignature.MaxHeaderChars);

        Assert.False(CallbackSignature.Verify(many, "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
        Assert.False(CallbackSignature.Verify(padded, "POST", Path, Body, [Secret], Now, Tolerance).IsValid);
    }
}
