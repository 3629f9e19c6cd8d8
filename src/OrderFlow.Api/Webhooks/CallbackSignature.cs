using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// OrderFlow's signed callbacks (X-OrderFlow-Signature on POST /api/fulfillments/{id}/events and
/// POST /api/returns/{id}/received), Stripe-style: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>. The HMAC
/// covers the timestamp, the method and the path as well as the body, so a body signed for one fulfillment or return
/// cannot be replayed to another, and an old one is refused outside the tolerance window.
/// </summary>
/// <remarks>
/// Signed string: <c>{t}.{METHOD}.{path}.{raw body}</c>: the decimal timestamp, the upper-case method, the path with
/// the id percent-encoded as in the callback URL (e.g. <c>/api/fulfillments/shopify-1001-F1/events</c>, no host, no
/// query), each followed by a dot, then the body's exact bytes. The key is the UTF-8 bytes of the secret. Several
/// <c>v1=</c> entries may be sent (one per secret while a key is rotated); one matching any valid secret is enough.
/// Other entries (e.g. a future <c>v2=</c>) are ignored.
/// </remarks>
public static class CallbackSignature
{
    public const string Header = "X-OrderFlow-Signature";
    public const string Scheme = "v1";
    public const int MaxHeaderChars = 1024;
    public const int MaxSignatures = 8;

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The header value for one secret: <c>t=...,v1=...</c>.</summary>
    public static string Sign(string secret, DateTimeOffset at, string method, string path, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={t},{Scheme}={Convert.ToHexStringLower(Compute(secret, t, method, path, body))}");
    }

    /// <summary>The HMAC-SHA256 of the signed string (see the remarks) with <paramref name="secret"/>.</summary>
    public static byte[] Compute(string secret, long timestamp, string method, string path, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{method.ToUpperInvariant()}.{path}.")));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>
    /// Checks <paramref name="header"/> against each of <paramref name="secrets"/> (compared in constant time) and the
    /// timestamp against <paramref name="now"/> ± <paramref name="tolerance"/>. Valid: the index of the secret that matched.
    /// </summary>
    public static CallbackVerification Verify(
        string? header, string method, string path, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(header))
        {
            return CallbackVerification.Refused($"{Header} is missing.");
        }

        if (!TryParse(header, out var timestamp, out var signatures))
        {
            return CallbackVerification.Refused(
                $"{Header} must be \"t=<unix seconds>,{Scheme}=<hex HMAC-SHA256>\" (at most {MaxSignatures} {Scheme} entries, {MaxHeaderChars} characters).");
        }

        var skew = now.ToUnixTimeSeconds() - timestamp;
        var allowed = (long)tolerance.TotalSeconds;
        if (skew > allowed || skew < -allowed)
        {
            return CallbackVerification.Refused(string.Create(
                CultureInfo.InvariantCulture,
                $"{Header} timestamp t={timestamp} is {Math.Abs(skew)} s {(skew > 0 ? "old" : "in the future")}; the tolerance is {allowed} s. Sign each request when it is sent."));
        }

        var matched = -1;
        for (var i = 0; i < secrets.Count; i++)
        {
            if (string.IsNullOrEmpty(secrets[i]))
            {
                continue;
            }

            var expected = Compute(secrets[i], timestamp, method, path, body);
            foreach (var provided in signatures)
            {
                if (CryptographicOperations.FixedTimeEquals(expected, provided) && matched < 0)
                {
                    matched = i;
                }
            }
        }

        return matched >= 0
            ? CallbackVerification.Valid(matched)
            : CallbackVerification.Refused($"{Header} does not match {method.ToUpperInvariant()} {path} with this body and timestamp for any key valid for this callback.");
    }

    private static bool TryParse(string header, out long timestamp, out List<byte[]> signatures)
    {
        timestamp = 0;
        signatures = [];
        if (header.Length > MaxHeaderChars)
        {
            return false;
        }

        var seenTimestamp = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t")
            {
                if (seenTimestamp || value.Length is 0 or > 12 || !value.All(char.IsAsciiDigit) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
                {
                    return false;
                }

                seenTimestamp = true;
            }
            else if (key == Scheme)
            {
                if (value.Length != HMACSHA256.HashSizeInBytes * 2 || signatures.Count == MaxSignatures || !value.All(char.IsAsciiHexDigit))
                {
                    return false;
                }

                signatures.Add(Convert.FromHexString(value));
            }
        }

        return seenTimestamp && signatures.Count > 0;
    }
}
