using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Approvals;

namespace OrderFlow.Workflows.Notifications;

/// <summary>
/// Signed, expiring links to the customer's order status page:
/// <c>{Store:OrderStatusBaseUrl}/{orderId}/status?expires={unix seconds}&amp;sig={base64url HMAC-SHA256}</c>, the MAC
/// taken over a purpose label, the order id and the expiry. The key is <see cref="StoreOptions.StatusLinkKey"/>, or,
/// when that is not set, a sub-key derived from Approvals:SigningKey with a purpose label of its own (so a status
/// signature never verifies as anything else, and no extra secret has to be provisioned). The expiry is rounded up to
/// the next UTC midnight, so every retry of the same email on the same day carries the same link.
/// </summary>
public sealed class OrderStatusLinkSigner(IOptions<StoreOptions> store, IOptions<ApprovalsOptions> approvals, TimeProvider clock)
{
    /// <summary>The path below Store:OrderStatusBaseUrl that follows the order id (the route "orders/{orderId}/status").</summary>
    public const string StatusSegment = "status";

    private const string KeyPurpose = "OrderFlow order status link key v1";
    private const string MacPurpose = "order-status-v1";
    private const int MaxSignatureChars = 64;

    private readonly Lazy<byte[]> key = new(() => DeriveKey(store.Value, approvals.Value));

    /// <summary>The absolute status link for the order, valid for <see cref="StoreOptions.StatusLinkLifetime"/> (to the next UTC midnight).</summary>
    public string LinkFor(string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var until = clock.GetUtcNow().Add(store.Value.StatusLinkLifetime).UtcDateTime;
        var midnight = until.TimeOfDay == TimeSpan.Zero ? until : until.Date.AddDays(1);
        var expires = new DateTimeOffset(midnight, TimeSpan.Zero).ToUnixTimeSeconds();
        return $"{store.Value.OrderStatusBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(orderId)}/{StatusSegment}"
            + $"?expires={expires.ToString(CultureInfo.InvariantCulture)}&sig={Sign(orderId, expires)}";
    }

    /// <summary>Checks the signature over order id and expiry first (constant time), then the expiry.</summary>
    public StatusLinkCheck Verify(string orderId, string? expires, string? signature)
    {
        if (string.IsNullOrWhiteSpace(orderId)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || string.IsNullOrWhiteSpace(signature) || signature.Length > MaxSignatureChars)
        {
            return StatusLinkCheck.Malformed;
        }

        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return StatusLinkCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Mac(orderId, expiresAt), given))
        {
            return StatusLinkCheck.BadSignature;
        }

        return clock.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? StatusLinkCheck.Expired : StatusLinkCheck.Valid;
    }

    private string Sign(string orderId, long expires) => Base64Url.EncodeToString(Mac(orderId, expires));

    private byte[] Mac(string orderId, long expires) =>
        HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes($"{MacPurpose}\n{orderId}\n{expires.ToString(CultureInfo.InvariantCulture)}"));

    private static byte[] DeriveKey(StoreOptions store, ApprovalsOptions approvals) =>
        string.IsNullOrWhiteSpace(store.StatusLinkKey)
            ? HMACSHA256.HashData(Encoding.UTF8.GetBytes(approvals.SigningKey), Encoding.UTF8.GetBytes(KeyPurpose))
            : Encoding.UTF8.GetBytes(store.StatusLinkKey);
}
