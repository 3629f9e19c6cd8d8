using System.Globalization;
using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts a return workflow (instance id = <see cref="ReturnId"/> = "return-{orderId}-{n}"). The store's return rules and
/// timings are fixed here when it starts (orchestrators never read configuration).
/// </summary>
public sealed record ReturnWorkflowInput(
    string ReturnId,
    string OrderId,
    IReadOnlyList<ReturnLine> Lines,
    string Reason,
    bool RefundShipping,
    ReturnRules Rules,
    TimeSpan ReceiveDeadline,
    OrderWorkflowSettings Settings)
{
    /// <summary>The n-th (1-based) return of an order.</summary>
    public static string ReturnIdFor(string orderId, int sequence) => $"return-{orderId}-{sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The order a return id belongs to (null when the id is not a return id).</summary>
    public static string? OrderIdOf(string returnId)
    {
        ArgumentNullException.ThrowIfNull(returnId);
        var last = returnId.LastIndexOf('-');
        return returnId.StartsWith("return-", StringComparison.Ordinal) && last > "return-".Length
            && int.TryParse(returnId.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? returnId["return-".Length..last]
            : null;
    }
}
