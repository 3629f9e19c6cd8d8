using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>Deterministic ids for sandbox adapters: the same key always yields the same id.</summary>
internal static class SandboxHash
{
    public static string Hex(string key, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..length];

    public static string Digits(string key, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 19);
        var modulus = 1UL;
        for (var i = 0; i < length; i++)
        {
            modulus *= 10;
        }

        var value = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return (value % modulus).ToString("D" + length, System.Globalization.CultureInfo.InvariantCulture);
    }
}
