using System.Globalization;
using System.Text.Json.Serialization;
using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts a return workflow (instance id = <see cref="ReturnId"/> = "return-{orderId}-{n}"). The store's return rules and
/// timings are fixed here when it starts (orchestrators never read configuration). <see cref="Version"/> is the revision
/// of the workflow's behaviour the return started under (<see cref="ReturnWorkflowVersions"/>); inputs recorded before
/// versioning carry none (an unversioned input is written without it, byte for byte as before).
/// </summary>
public sealed record ReturnWorkflowInput(
    string ReturnId,
    string OrderId,
    IReadOnlyList<ReturnLine> Lines,
    string Reason,
    bool RefundShipping,
    ReturnRules Rules,
    TimeSpan ReceiveDeadline,
    OrderWorkflowSettings Settings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null)
{
    /// <summary>The revision this return runs: <see cref="Version"/>, or <see cref="ReturnWorkflowVersions.Original"/> when none was recorded.</summary>
    [JsonIgnore]
    public int Revision => this.Version ?? ReturnWorkflowVersions.Original;

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
