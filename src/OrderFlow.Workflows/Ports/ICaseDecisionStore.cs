using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Records decisions on cases, as an outbox: a decision is first recorded as <see cref="CaseStatuses.Decided"/>, then
/// completed (Resolved, or WorkflowEnded) once the workflow has been told. Only an open case takes a decision; the
/// first decision wins.
/// </summary>
public interface ICaseDecisionStore
{
    /// <summary>
    /// Sets the open case to <paramref name="status"/> with the decision (and the corrected address, kept for delivery);
    /// false when it was not open (or another decision won). The deadline's <see cref="CaseStatuses.TimedOut"/> also
    /// replaces an undelivered <see cref="CaseStatuses.Decided"/>: the workflow applied its default.
    /// </summary>
    Task<bool> TryRecordDecisionAsync(
        string caseId, CaseResolution resolution, string decidedBy, string? comment, string status, CancellationToken cancellationToken = default,
        Address? correctedAddress = null);

    /// <summary>Moves a <see cref="CaseStatuses.Decided"/> case to <paramref name="status"/> (Resolved or WorkflowEnded); false when it was not Decided.</summary>
    Task<bool> TryCompleteDecisionAsync(string caseId, string status, CancellationToken cancellationToken = default);

    /// <summary>Cases whose decision is recorded but not yet delivered, oldest decision first.</summary>
    Task<IReadOnlyList<ExceptionCase>> ListDecidedAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes the status of a decided case (e.g. to <see cref="CaseStatuses.WorkflowEnded"/>).</summary>
    Task SetStatusAsync(string caseId, string status, CancellationToken cancellationToken = default);
}
