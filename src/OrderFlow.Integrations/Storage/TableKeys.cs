using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Reversible encoding of arbitrary ids into PartitionKey/RowKey values. Table keys forbid / \ # ? and control
/// characters; '%' (the escape) and '|' (our composite-key separator) are escaped too.
/// </summary>
public static class TableKeys
{
    public const char Separator = '|';

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Longest key <see cref="Bounded"/> returns before hashing (table keys allow 1 KiB; composite keys add more).</summary>
    public const int MaxBoundedLength = 255;

    /// <summary>
    /// <see cref="Encode"/>, but an encoding longer than <see cref="MaxBoundedLength"/> becomes its first 200 characters,
    /// "%~" and 16 hex of SHA-256 of the exact value. "%~" never occurs in an encoding ('%' always starts a hex escape),
    /// so a hashed key cannot equal a plain one. Not reversible with <see cref="Decode"/>; keep the value in a property.
    /// </summary>
    public static string Bounded(string value)
    {
        var encoded = Encode(value);
        if (encoded.Length <= MaxBoundedLength)
        {
            return encoded;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
        return $"{encoded[..200]}%~{hash}";
    }

    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else
            {
                sb.Append(key[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>The smallest string greater than every key that starts with <paramref name="prefix"/> (for range queries).</summary>
    internal static string PrefixUpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' or Separator || char.IsControl(c);
}
