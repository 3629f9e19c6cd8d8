using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Workflows.Security;

/// <summary>
/// HMAC-SHA256 signatures of a raw body, compared in constant time: base64 (Shopify webhooks, OrderFlow's own signed
/// callbacks) or hex (EasyPost webhooks). Verify the raw bytes as received, before any parsing or re-encoding.
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

        return Matches(rawBody, provided, secret);
    }

    /// <summary>Like <see cref="Verify"/> for a hex digest (either case).</summary>
    public static bool VerifyHex(ReadOnlySpan<byte> rawBody, string? hexSignature, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var hex = hexSignature?.Trim();
        if (hex is not { Length: HMACSHA256.HashSizeInBytes * 2 })
        {
            return false;
        }

        Span<byte> provided = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(hex, provided, out _, out var written) != System.Buffers.OperationStatus.Done || written != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        return Matches(rawBody, provided, secret);
    }

    public static string Sign(ReadOnlySpan<byte> rawBody, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody));
    }

    private static bool Matches(ReadOnlySpan<byte> rawBody, ReadOnlySpan<byte> provided, string secret)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }
}
