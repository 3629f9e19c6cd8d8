using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The human work queue. A case is written durably before anyone is alerted.</summary>
public interface IExceptionQueue
{
    /// <summary>Opens the case (idempotent per case id) and alerts the configured approvers.</summary>
    Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>The case is still open at its first deadline: remind the next tier (once per case; a decided case is skipped).</summary>
    Task RemindAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>The last deadline passed and the default applied: close the case (a no-op if a decision was recorded first).</summary>
    Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default);
}
