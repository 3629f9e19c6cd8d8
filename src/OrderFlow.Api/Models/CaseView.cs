namespace OrderFlow.Api.Models;

/// <summary>An exception case in the cases API.</summary>
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
    string? Comment);
