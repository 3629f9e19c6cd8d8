using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Domain.Orders;

/// <summary>
/// Deterministic ids: the order id (and workflow instance id) derive from the source and the channel's own order id,
/// so a redelivered webhook can never start a second workflow. The mapping is injective: two different channel ids
/// never share an order id.
/// </summary>
/// <remarks>
/// A channel id made only of lower-case ASCII letters, digits, '-', '_' and '.' and at most
/// <see cref="MaxPlainIdLength"/> characters is kept as is (<c>shopify-8928354021349</c>, <c>woocommerce-17</c>), as
/// before. Any other id (upper case, other characters, surrounding spaces, too long) becomes
/// <c>{source}-{safe part}~{16 hex of SHA-256 of the exact id}</c>: '~' is never in a plain id, and a source holds no
/// '-' or '~', so the split back into source and id is unambiguous. Ids that differ only in case get different hashes
/// (lower-casing alone would merge them; keeping case would change the id of every upper-case order already in flight
/// less predictably than a suffix does).
/// </remarks>
public static class OrderIds
{
    /// <summary>Longest channel id kept verbatim; longer ones are hashed, so an order id stays well under key limits.</summary>
    public const int MaxPlainIdLength = 64;

    /// <summary>Longest channel id accepted at all (it is also stored, and reused in payment references).</summary>
    public const int MaxExternalIdLength = 256;

    /// <summary>Longest source name: lower-case letters, digits and '_' (never '-' or '~', which separate id parts).</summary>
    public const int MaxSourceLength = 32;

    /// <summary>Marks a hashed id; never part of a source or of a plain id.</summary>
    public const char HashMarker = '~';

    /// <summary>Longest order id <see cref="For"/> returns (source, '-', plain id).</summary>
    public const int MaxOrderIdLength = MaxSourceLength + 1 + MaxPlainIdLength;

    private const int SafePrefixLength = 40;
    private const int HashHexChars = 16;

    public static string For(string source, string externalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        if (!IsValidSource(source))
        {
            throw new ArgumentException($"Source '{source}' must be 1-{MaxSourceLength} lower-case letters, digits or '_'.", nameof(source));
        }

        if (externalId.Length <= MaxPlainIdLength && externalId.All(IsPlain))
        {
            return $"{source}-{externalId}";
        }

        var safe = new StringBuilder(SafePrefixLength);
        foreach (var c in externalId.Trim().ToLowerInvariant())
        {
            if (safe.Length == SafePrefixLength)
            {
                break;
            }

            safe.Append(IsPlain(c) ? c : '_');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId)))[..HashHexChars];
        return $"{source}-{safe}{HashMarker}{hash}";
    }

    /// <summary>True for a source <see cref="For"/> accepts: 1-32 of a-z, 0-9, '_', starting with a letter or digit.</summary>
    public static bool IsValidSource(string? source) =>
        source is { Length: > 0 and <= MaxSourceLength } && source[0] != '_' && source.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Fulfillment id for the n-th (1-based) fulfillment of an order.</summary>
    public static string Fulfillment(string orderId, int sequence) => $"{orderId}-F{sequence}";

    /// <summary>Idempotency key for an outbound call made by one workflow step.</summary>
    public static string IdempotencyKey(string instanceId, string step) => $"{instanceId}:{step}";

    // Safe in Azure Table keys, durable instance ids and URLs; upper case is excluded so case never merges two ids.
    private static bool IsPlain(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.';
}
