using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Reads exception cases for the approval pages and the operations console.</summary>
public interface ICaseReader
{
    Task<ExceptionCase?> GetAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Open cases, oldest first.</summary>
    Task<IReadOnlyList<ExceptionCase>> ListOpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Open cases opened before <paramref name="openedBefore"/> that nobody was alerted or reminded about (the alert
    /// failed, or the opening step stopped between writing the case and alerting), least recently tried first.
    /// </summary>
    Task<IReadOnlyList<ExceptionCase>> ListUnalertedAsync(DateTimeOffset openedBefore, CancellationToken cancellationToken = default);
}
