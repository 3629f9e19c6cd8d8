using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Stripe;

/// <summary>Stripe accepts idempotency keys up to 255 characters; longer keys are replaced by a stable hash of themselves.</summary>
public static class StripeIdempotencyKey
{
    public const int MaxLength = 255;

    public static string For(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (key.Length <= MaxLength)
        {
            return key;
        }

        // Same long key -> same short key, so retries still replay; the prefix keeps it recognizable in Stripe's logs.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return $"{key[..64]}|sha256:{hash}";
    }
}
