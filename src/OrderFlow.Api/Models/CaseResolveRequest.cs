using OrderFlow.Domain.Orders;

namespace OrderFlow.Api.Models;

/// <summary>
/// Body of POST /api/cases/{caseId}/resolve: one of the case's allowed resolutions and an optional comment; the
/// corrected address is required with CorrectAddress and ignored otherwise.
/// </summary>
public sealed record CaseResolveRequest(string? Resolution, string? Comment, string? DecidedBy, Address? Address = null);
