using System.Security.Cryptography;
using System.Text.Json;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Serialization;

/// <summary>
/// The content hash intake compares on a dedupe hit: SHA-256 (hex) of the canonical order as stored. Two deliveries of
/// the same order map to the same canonical order even when channel fields we do not read differ.
/// </summary>
public static class OrderContent
{
    public static string Hash(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(order, IntegrationJson.Options)));
    }
}
