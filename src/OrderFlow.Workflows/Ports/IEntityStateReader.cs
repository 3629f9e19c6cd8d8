namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Reads a durable entity's stored state from outside an orchestration (an activity), as the stock routes do: the state
/// of the entity's last completed operation, not an operation queued at it.
/// </summary>
public interface IEntityStateReader
{
    /// <summary>The state of entity <paramref name="entityName"/> with key <paramref name="key"/>; null when it does not exist.</summary>
    Task<T?> ReadAsync<T>(string entityName, string key, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IEntityStateReader"/> through the host's <see cref="IWorkflowClient"/>.</summary>
public sealed class WorkflowClientEntityStateReader(IWorkflowClient workflows) : IEntityStateReader
{
    public Task<T?> ReadAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) =>
        workflows.GetEntityStateAsync<T>(entityName, key, cancellationToken);
}
