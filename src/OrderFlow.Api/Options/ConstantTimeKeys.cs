using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Api.Options;

/// <summary>Compares a presented key with a configured one in constant time, hashing both first so lengths do not leak.</summary>
public static class ConstantTimeKeys
{
    /// <summary>True when both are non-empty and equal.</summary>
    public static bool Matches(string? provided, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(provided))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(provided)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
