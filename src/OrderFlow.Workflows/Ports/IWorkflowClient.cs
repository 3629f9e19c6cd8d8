using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The narrow client the HTTP handlers use to talk to the durable engine, whichever host runs it.</summary>
public interface IWorkflowClient
{
    /// <summary>Starts an orchestration under a fixed instance id. False when that instance already exists.</summary>
    Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default);

    Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default);

    Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>A durable entity's state (null when it does not exist), e.g. a SKU's <c>InventoryEntity</c>.</summary>
    Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Instances of orchestrator <paramref name="orchestratorName"/> whose runtime status is one of
    /// <paramref name="runtimeStatuses"/> (e.g. "Failed", "Terminated"), at most <paramref name="limit"/>, in no particular order.
    /// </summary>
    Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
        string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default);

    /// <summary>The input an instance was started with, deserialized (default when the instance does not exist or has none).</summary>
    Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a new run of <paramref name="orchestratorName"/> under the same <paramref name="instanceId"/> with
    /// <paramref name="input"/>, replacing the instance only while it has ended Failed or Terminated (the engine keeps
    /// one instance per id, so the failed run's history is replaced). False when the instance does not exist or has not
    /// ended that way.
    /// </summary>
    Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a running instance as Terminated (the reason is its output); an instance that already ended is left as it is.
    /// A client that cannot terminate instances does not support it.
    /// </summary>
    Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("This workflow client cannot terminate instances.");

    /// <summary>
    /// Releases entity locks whose holder no longer runs (a lock can outlive its orchestration after a worker crash);
    /// returns how many were released. A client without entity storage queries releases nothing.
    /// </summary>
    Task<int> ReleaseOrphanedLocksAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>
    /// The orchestration holding the entity's lock when its own request is stuck behind another's in the entity's queue
    /// (the entity never moves again); null otherwise, or where the client cannot read the entity's scheduler state.
    /// </summary>
    Task<string?> FindWedgedLockHolderAsync(string entityName, string key, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <summary>Releases the entity's lock on behalf of <paramref name="holder"/>.</summary>
    Task ReleaseLockAsync(string entityName, string key, string holder, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Waits until the instance ends or the timeout passes; returns its last known status.</summary>
    Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default);
}
