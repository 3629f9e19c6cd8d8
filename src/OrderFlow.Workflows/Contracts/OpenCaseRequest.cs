using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Opens an exception case for a person; the case id is deterministic per (order, step). <paramref name="WorkflowId"/>
/// names the workflow waiting for the decision when it is not the order's own (a return: "return-{orderId}-{n}").
/// </summary>
public sealed record OpenCaseRequest(
    string CaseId, string OrderId, ExceptionReason Reason, string Step, string Error, IReadOnlyList<CaseResolution> AllowedResolutions, DateTimeOffset Deadline,
    string? WorkflowId = null);
