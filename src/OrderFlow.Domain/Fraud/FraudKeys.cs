using System.Security.Cryptography;
using System.Text;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Fraud;

/// <summary>
/// The keys the recent-orders store counts by: SHA-256 hashes (hex) of the normalized email, browser IP and shipping
/// address, so the store never holds the values. The customer is their email (channels do not share customer ids).
/// </summary>
public sealed record FraudKeys(string Email, string? Ip, string Address)
{
    private const string Purpose = "orderflow-fraud";

    public static FraudKeys For(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var a = order.ShippingAddress;
        var address = string.Join('|', Normalize(a.CountryCode), Normalize(a.PostalCode), Normalize(a.City), Normalize(a.Line1), Normalize(a.Line2));
        return new FraudKeys(
            Hash("email", Normalize(order.Customer.Email)),
            string.IsNullOrWhiteSpace(order.CustomerIp) ? null : Hash("ip", order.CustomerIp.Trim().ToLowerInvariant()),
            Hash("address", address));
    }

    private static string Normalize(string? value) =>
        string.Join(' ', (value ?? string.Empty).Trim().ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Hash(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Purpose}|{kind}|{value}")));
}
