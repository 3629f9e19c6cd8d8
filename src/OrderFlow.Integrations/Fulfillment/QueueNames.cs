using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>Queue names: lower-case letters, digits and single hyphens, 3-63 characters, no leading/trailing hyphen.</summary>
public static class QueueNames
{
    private const int MaxLength = 63;

    /// <summary>The pick-list queue of a location: "{prefix}picklists-{location}", sanitized.</summary>
    public static string PickList(string prefix, string location) => Sanitize($"{prefix}picklists-{location}");

    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            var mapped = c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-';
            if (mapped == '-' && (sb.Length == 0 || sb[^1] == '-'))
            {
                continue;
            }

            sb.Append(mapped);
        }

        var result = sb.ToString().Trim('-');
        if (result.Length > MaxLength)
        {
            // Keep names unique when truncating: the tail becomes a hash of the full name.
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
            result = result[..(MaxLength - 9)].TrimEnd('-') + "-" + hash;
        }

        return result.Length >= 3 ? result : result.PadRight(3, '0');
    }
}
