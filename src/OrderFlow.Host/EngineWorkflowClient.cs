using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host;

/// <summary>The HTTP handlers' <see cref="IWorkflowClient"/> on the one-machine host, over the in-process engine's client.</summary>
public sealed class EngineWorkflowClient(TaskHubWorkflowClient client) : IWorkflowClient
{
    public Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) =>
        client.StartOrchestrationAsync(orchestratorName, instanceId, input, cancellationToken);

    public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

    public Task<string?> FindWedgedLockHolderAsync(string entityName, string key, CancellationToken cancellationToken = default) =>
        client.FindWedgedLockHolderAsync(new Microsoft.DurableTask.Entities.EntityInstanceId(entityName, key), cancellationToken);

    public Task ReleaseLockAsync(string entityName, string key, string holder, CancellationToken cancellationToken = default) =>
        client.ReleaseLockAsync(new Microsoft.DurableTask.Entities.EntityInstanceId(entityName, key), holder, cancellationToken);

    public Task<int> ReleaseOrphanedLocksAsync(CancellationToken cancellationToken = default) =>
        client.ReleaseOrphanedLocksAsync(cancellationToken);

    public async Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Map(await client.GetStatusAsync(instanceId, cancellationToken));

    public async Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return Map(await client.WaitForCompletionAsync(instanceId, timeout, cancellationToken));
        }
        catch (TimeoutException)
        {
            return Map(await client.GetStatusAsync(instanceId, cancellationToken));
        }
    }

    public async Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) =>
        await client.GetStatusAsync(instanceId, cancellationToken) is { } status ? status.ReadInputAs<T>() : default;

    public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) =>
        client.RestartOrchestrationAsync(orchestratorName, instanceId, input, cancellationToken);

    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default) =>
        client.TerminateAsync(instanceId, reason, cancellationToken);

    public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) =>
        client.GetEntityStateAsync<T>(new Microsoft.DurableTask.Entities.EntityInstanceId(entityName, key), cancellationToken);

    public async Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
        string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runtimeStatuses);
        var statuses = runtimeStatuses.Select(s => Enum.Parse<Microsoft.DurableTask.Client.OrchestrationRuntimeStatus>(s, ignoreCase: true)).ToArray();
        var found = await client.ListInstancesAsync(orchestratorName, statuses, limit, cancellationToken);
        return [.. found.Select(s => new WorkflowInstanceSummary(
            s.InstanceId, s.Name, s.RuntimeStatus.ToString(), s.CreatedAt, s.LastUpdatedAt, s.FailureMessage ?? s.SerializedOutput, s.SerializedCustomStatus))];
    }

    private static WorkflowStatus? Map(WorkflowInstanceStatus? status) => status is null
        ? null
        : new WorkflowStatus(
            status.InstanceId,
            status.RuntimeStatus.ToString(),
            status.SerializedCustomStatus,
            status.SerializedOutput,
            status.LastUpdatedAt);
}
