using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Opens an exception case for a person; the case id is deterministic per (order, step). <paramref name="WorkflowId"/>
/// names the workflow waiting for the decision when it is not the order's own (a return: "return-{orderId}-{n}"), or
/// <see cref="NoWorkflow"/> when none waits (a case opened by an HTTP handler: a decision just resolves it).
/// </summary>
public sealed record OpenCaseRequest(
    string CaseId, string OrderId, ExceptionReason Reason, string Step, string Error, IReadOnlyList<CaseResolution> AllowedResolutions, DateTimeOffset Deadline,
    string? WorkflowId = null)
{
    /// <summary>The <see cref="WorkflowId"/> of a case no workflow waits for.</summary>
    public const string NoWorkflow = "none";

    /// <summary>How long a case with no workflow stays open for a decision (nothing applies a default at the deadline).</summary>
    public static readonly TimeSpan NoWorkflowDeadline = TimeSpan.FromDays(30);
}
