using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Tells the approvers that a case needs them. Called only after the case is stored.</summary>
public interface IApproverAlert
{
    Task AlertAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default);

    /// <summary>The first deadline passed with the case still open: remind the next tier (Cases:EscalationEmail).</summary>
    Task RemindAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default);
}
