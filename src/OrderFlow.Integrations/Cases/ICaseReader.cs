namespace OrderFlow.Integrations.Cases;

/// <summary>Reads exception cases for the approval pages and the operations console.</summary>
public interface ICaseReader
{
    Task<ExceptionCase?> GetAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Open cases, oldest first.</summary>
    Task<IReadOnlyList<ExceptionCase>> ListOpenAsync(CancellationToken cancellationToken = default);
}
