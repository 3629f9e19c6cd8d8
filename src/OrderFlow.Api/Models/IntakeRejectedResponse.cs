namespace OrderFlow.Api.Models;

/// <summary>Answer (200) to a signed channel delivery that could not be mapped: kept, and a case opened for a person.</summary>
public sealed record IntakeRejectedResponse(string Status, string CaseId);
