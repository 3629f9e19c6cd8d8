using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Integrations.Accounting;

/// <summary>
/// Deterministic identifiers of OrderFlow's documents in QuickBooks. DocNumber (at most 21 characters, and filterable in
/// queries, which PrivateNote is not) is "OF" + 10 characters from the order id + "-S"/"-R" + 6 from the reference, so one
/// order's documents share a prefix (<see cref="OrderPrefix"/>) and each reference has exactly one DocNumber. The readable
/// order number and the full reference travel in PrivateNote (<see cref="PrivateNote"/>).
/// </summary>
public static class QuickBooksKeys
{
    /// <summary>QuickBooks' limit for DocNumber.</summary>
    public const int MaxDocNumberLength = 21;

    /// <summary>QuickBooks' limit for the requestid query parameter.</summary>
    public const int MaxRequestIdLength = 50;

    internal const string OrderLine = "OrderFlow order: ";
    internal const string NumberLine = "Order number: ";
    internal const string ReferenceLine = "Reference: ";

    // Crockford base32: upper-case letters and digits, no look-alikes, safe inside a quoted query literal.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string OrderPrefix(string orderId) => "OF" + Code(orderId, 10) + "-";

    public static string SaleDocNumber(string orderId, string reference) => OrderPrefix(orderId) + "S" + Code(reference, 6);

    public static string RefundDocNumber(string orderId, string reference) => OrderPrefix(orderId) + "R" + Code(reference, 6);

    /// <summary>QuickBooks replays its first answer to a repeated requestid: "sale-"/"refund-" + 32 hex characters of the reference.</summary>
    public static string RequestId(string kind, string reference) =>
        kind + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)))[..32];

    public static string PrivateNote(string orderId, string orderNumber, string reference) =>
        $"{OrderLine}{orderId}\n{NumberLine}{orderNumber}\n{ReferenceLine}{reference}";

    /// <summary>The value of one line of an OrderFlow private note, or null when the note has no such line.</summary>
    internal static string? NoteValue(string? note, string line) =>
        note?.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(line, StringComparison.Ordinal))?[line.Length..];

    private static string Code(string value, int length)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            // 5 bits per character, read across byte boundaries.
            var bit = i * 5;
            var chunk = (hash[bit / 8] << 8) | hash[(bit / 8) + 1];
            sb.Append(Alphabet[(chunk >> (11 - (bit % 8))) & 31]);
        }

        return sb.ToString();
    }
}
