using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Durable;

/// <summary>The handlers' <see cref="IWorkflowClient"/> over the Durable Functions client bound to one invocation.</summary>
public sealed class DurableTaskClientWorkflowClient(DurableTaskClient client) : IWorkflowClient
{
    /// <summary>Every status: an instance id names one order for good, finished or not.</summary>
    private static readonly OrchestrationRuntimeStatus[] NeverReuse = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    public async Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        // Durable Functions silently overwrites a *finished* instance that has the same id, so look first:
        // a webhook redelivered after the order completed must not start the order again.
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(NeverReuse);
            await client.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Lost the race with a concurrent delivery of the same order.
            return false;
        }
    }

    public async Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) =>
        await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } metadata ? metadata.ReadInputAs<T>() : default;

    public async Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        var current = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (current is null || current.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            return false;
        }

        try
        {
            // Durable Functions replaces an ended instance of the same id; every other status blocks the start.
            var blocking = StartOrchestrationOptionsExtensions.ValidDedupeStatuses
                .Where(s => s is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)).ToArray();
            var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(blocking);
            await client.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default) =>
        client.TerminateInstanceAsync(instanceId, reason, cancellationToken);

    public async Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) =>
        ToStatus(await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken));

    public async Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default)
    {
        var entity = await client.Entities.GetEntityAsync<T>(new Microsoft.DurableTask.Entities.EntityInstanceId(entityName, key), cancellationToken);
        return entity is null ? default : entity.State;
    }

    public async Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var metadata = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeoutSource.Token);
            return ToStatus(metadata) ?? await GetStatusAsync(instanceId, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout passed, not the caller's patience: report where the instance is now.
            return await GetStatusAsync(instanceId, cancellationToken);
        }
    }

    public async Task<int> ReleaseOrphanedLocksAsync(CancellationToken cancellationToken = default)
    {
        var result = await client.Entities.CleanEntityStorageAsync(
            new Microsoft.DurableTask.Client.Entities.CleanEntityStorageRequest { ReleaseOrphanedLocks = true, RemoveEmptyEntities = false },
            continueUntilComplete: true,
            cancellationToken);
        return result.OrphanedLocksReleased;
    }

    public async Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
        string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ArgumentNullException.ThrowIfNull(runtimeStatuses);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = new OrchestrationQuery
        {
            Statuses = [.. runtimeStatuses.Select(s => Enum.Parse<OrchestrationRuntimeStatus>(s, ignoreCase: true))],
            PageSize = Math.Min(limit, 100),
            FetchInputsAndOutputs = true, // a terminated instance's reason is its output
        };
        var found = new List<WorkflowInstanceSummary>();
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (!string.Equals(metadata.Name, orchestratorName, StringComparison.Ordinal))
            {
                continue;
            }

            found.Add(ToSummary(metadata));
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    internal static WorkflowInstanceSummary ToSummary(OrchestrationMetadata metadata) => new(
        metadata.InstanceId,
        metadata.Name,
        metadata.RuntimeStatus.ToString(),
        metadata.CreatedAt,
        metadata.LastUpdatedAt,
        metadata.FailureDetails?.ErrorMessage ?? metadata.SerializedOutput,
        metadata.SerializedCustomStatus);

    internal static WorkflowStatus? ToStatus(OrchestrationMetadata? metadata) =>
        metadata is null
            ? null
            : new WorkflowStatus(
                metadata.InstanceId,
                metadata.RuntimeStatus.ToString(),
                metadata.SerializedCustomStatus,
                metadata.SerializedOutput,
                metadata.LastUpdatedAt);
}
