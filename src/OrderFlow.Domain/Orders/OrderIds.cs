using System.Text;

namespace OrderFlow.Domain.Orders;

/// <summary>
/// Deterministic ids: the order id (and workflow instance id) derive from the source and the
/// channel's own order id, so a redelivered webhook can never start a second workflow.
/// </summary>
public static class OrderIds
{
    public static string For(string source, string externalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        return $"{Sanitize(source)}-{Sanitize(externalId)}";
    }

    /// <summary>Fulfillment id for the n-th (1-based) fulfillment of an order.</summary>
    public static string Fulfillment(string orderId, int sequence) => $"{orderId}-F{sequence}";

    /// <summary>Idempotency key for an outbound call made by one workflow step.</summary>
    public static string IdempotencyKey(string instanceId, string step) => $"{instanceId}:{step}";

    // Azure Table keys and instance ids forbid / \ # ? and control characters.
    private static string Sanitize(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value.Trim().ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return sb.ToString();
    }
}
