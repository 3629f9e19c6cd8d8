namespace OrderFlow.Workflows.Contracts;

/// <summary>The outcome of one cancellation request: units cancelled, and what could not be stopped and why.</summary>
public sealed record CancellationReport(string OrderId, string RequestId, string RequestedBy, string Reason, IReadOnlyList<CancelLine> Cancelled, IReadOnlyList<string> NotStopped)
{
    public string Describe()
    {
        var cancelled = Cancelled.Count == 0 ? "nothing" : string.Join(", ", Cancelled.Select(l => $"{l.Quantity} x {l.Sku}"));
        var rest = NotStopped.Count == 0 ? string.Empty : " Could not be stopped: " + string.Join(" ", NotStopped);
        return $"Cancellation {RequestId} by {RequestedBy} ({Reason}): cancelled {cancelled}.{rest}";
    }
}
