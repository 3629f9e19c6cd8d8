using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Signs bodies the way Shopify and the warehouses do (computed here, independently of the host's code).</summary>
public static class Signatures
{
    /// <summary>base64(HMAC-SHA256(secret, raw body)).</summary>
    public static string Sign(byte[] body, string secret) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
