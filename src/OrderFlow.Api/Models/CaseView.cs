namespace OrderFlow.Api.Models;

/// <summary>
/// An exception case in the cases API. <paramref name="AlertError"/> says why the approvers (or the escalation tier)
/// could not be alerted, and since when; both are null once an alert or reminder went out.
/// </summary>
public sealed record CaseView(
    string CaseId,
    string OrderId,
    string Reason,
    string Step,
    string Error,
    IReadOnlyList<string> AllowedResolutions,
    string DefaultOnTimeout,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset Deadline,
    double AgeHours,
    string? Resolution,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Comment,
    string? AlertError,
    DateTimeOffset? AlertFailedAt);
