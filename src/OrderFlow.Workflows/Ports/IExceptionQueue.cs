using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The human work queue. A case is written durably before anyone is alerted.</summary>
public interface IExceptionQueue
{
    /// <summary>Opens the case (idempotent per case id) and alerts the configured approvers.</summary>
    Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default);
}
