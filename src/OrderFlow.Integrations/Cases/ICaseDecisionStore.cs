using OrderFlow.Domain.Cases;

namespace OrderFlow.Integrations.Cases;

/// <summary>Records decisions on cases. Only an open case takes a decision; the first decision wins.</summary>
public interface ICaseDecisionStore
{
    /// <summary>Sets the case to <paramref name="status"/> with the decision; false when it was not open (or another decision won).</summary>
    Task<bool> TryRecordDecisionAsync(string caseId, CaseResolution resolution, string decidedBy, string? comment, string status, CancellationToken cancellationToken = default);

    /// <summary>Changes the status of a decided case (e.g. to <see cref="CaseStatuses.WorkflowEnded"/>).</summary>
    Task SetStatusAsync(string caseId, string status, CancellationToken cancellationToken = default);
}
