using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The human work queue. Opening a case is writing it (durable, retried); alerting people is a separate, best-effort
/// step whose failure is recorded on the case: the queue is the source of truth even when every alert channel is down.
/// </summary>
public interface IExceptionQueue
{
    /// <summary>Writes the case (idempotent per case id: a retried open keeps the first write). Alerts nobody.</summary>
    Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Alerts the configured approvers about a stored case unless it was alerted already; throws when the alert could
    /// not be sent. A sent alert clears a recorded alert failure.
    /// </summary>
    Task AlertAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The case is still open at its first deadline: remind the next tier (once per case; a decided case is skipped);
    /// throws when the reminder could not be sent. A sent reminder clears a recorded alert failure.
    /// </summary>
    Task RemindAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Records on the case that alerting people failed (<paramref name="error"/> holds no customer data).</summary>
    Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default);

    /// <summary>The last deadline passed and the default applied: close the case (a no-op if a decision was recorded first).</summary>
    Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default);
}
