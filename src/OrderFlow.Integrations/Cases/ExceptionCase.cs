using OrderFlow.Domain.Cases;

namespace OrderFlow.Integrations.Cases;

/// <summary>A stored exception case as people see it: what went wrong, where, what they may decide, and by when.</summary>
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
    DateTimeOffset? AlertedAt);
