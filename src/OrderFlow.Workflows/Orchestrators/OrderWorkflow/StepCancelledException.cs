namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>A person cancelled the order from inside a step; caught once, in the order workflow's <c>ExecuteAsync</c>.</summary>
internal sealed class StepCancelledException(string message, string? reasonCode = null) : Exception(message)
{
    public string? ReasonCode { get; } = reasonCode;
}
