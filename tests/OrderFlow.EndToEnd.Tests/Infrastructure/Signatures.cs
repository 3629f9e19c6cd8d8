using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Signs bodies the way Shopify and the warehouses do (computed here, independently of the host's code).</summary>
public static class Signatures
{
    /// <summary>base64(HMAC-SHA256(secret, raw body)).</summary>
    public static string Sign(byte[] body, string secret) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// A location's X-OrderFlow-Signature as docs/fulfillment.md describes it: "t=&lt;unix seconds&gt;,v1=&lt;hex&gt;", the hex
    /// HMAC-SHA256 of "{t}.POST.{path}.{body}".
    /// </summary>
    public static string SignCallback(string path, byte[] body, string secret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var signed = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{t}.POST.{path}.")).Concat(body).ToArray();
        return FormattableString.Invariant($"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}");
    }
}
