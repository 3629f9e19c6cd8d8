using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A stored exception case as people see it: what went wrong, where, what they may decide, by when, and the decision.
/// <paramref name="AlertError"/> says why people could not be alerted (null once an alert or reminder went out).
/// </summary>
public sealed record ExceptionCase(
    string CaseId,
    string OrderId,
    ExceptionReason Reason,
    string Step,
    string Error,
    IReadOnlyList<CaseResolution> AllowedResolutions,
    DateTimeOffset Deadline,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? AlertedAt,
    CaseResolution? Resolution = null,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Comment = null,
    DateTimeOffset? RemindedAt = null,
    string? WorkflowId = null,
    Address? CorrectedAddress = null,
    string? AlertError = null,
    DateTimeOffset? AlertFailedAt = null)
{
    /// <summary>The step prefix of a case opened because a storefront refused an order's write-back ("writeback-{op}").</summary>
    public const string WriteBackStepPrefix = "writeback-";

    public bool IsOpen => Status == CaseStatuses.Open;

    /// <summary>Decided but not yet delivered to the workflow (see <see cref="CaseStatuses.Decided"/>).</summary>
    public bool IsDecided => Status == CaseStatuses.Decided;

    /// <summary>The workflow instance waiting for the decision: the order's, unless the case names another (a return's).</summary>
    public string InstanceId => WorkflowId ?? OrderId;

    /// <summary>False for a case opened outside any workflow (a carrier exception, a rejected intake): a decision just resolves it.</summary>
    public bool AwaitsWorkflow => WorkflowId != OpenCaseRequest.NoWorkflow;

    /// <summary>
    /// False for a rejected intake (no order was made: <see cref="OrderId"/> names the delivery) and a channel sync
    /// failure (<see cref="OrderId"/> names the channel), except a refused write-back, which names its order.
    /// </summary>
    public bool NamesAnOrder => Reason is not (ExceptionReason.IntakeRejected or ExceptionReason.ChannelSyncFailed) || IsWriteBack;

    /// <summary>A ChannelSyncFailed case opened because a storefront refused an order's write-back (step "writeback-{op}").</summary>
    private bool IsWriteBack => Reason == ExceptionReason.ChannelSyncFailed && Step.StartsWith(WriteBackStepPrefix, StringComparison.Ordinal);

    /// <summary>What <see cref="OrderId"/> names, as people read it: "Order", "Delivery" (a rejected intake) or "Channel".</summary>
    public string Subject => Reason switch
    {
        ExceptionReason.IntakeRejected => "Delivery",
        ExceptionReason.ChannelSyncFailed when !IsWriteBack => "Channel",
        _ => "Order",
    };
}
