namespace OrderFlow.Api.Models;

/// <summary>Body of POST /api/reconciliations: the UTC calendar days to reconcile, both included ("2026-11-25").</summary>
public sealed record ReconciliationStartRequest(DateOnly? From, DateOnly? To);
