namespace OrderFlow.Api.Models;

/// <summary>Body of POST /api/cases/{caseId}/resolve: one of the case's allowed resolutions and an optional comment.</summary>
public sealed record CaseResolveRequest(string? Resolution, string? Comment, string? DecidedBy);
