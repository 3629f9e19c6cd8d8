using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Security;

/// <summary>
/// base64(HMAC-SHA256(secret, raw body)) signatures, compared in constant time. Used by Shopify webhooks and by
/// OrderFlow's own signed callbacks. Verify the raw bytes as received, before any parsing or re-encoding.
/// </summary>
public static class HmacSignature
{
    public static bool Verify(ReadOnlySpan<byte> rawBody, string? signature, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        Span<byte> provided = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(signature.Trim(), provided, out var written) || written != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    public static string Sign(ReadOnlySpan<byte> rawBody, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody));
    }
}
