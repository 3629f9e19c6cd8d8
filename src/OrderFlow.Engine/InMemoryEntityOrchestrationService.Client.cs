using DurableTask.Core;
using DurableTask.Core.Query;

namespace OrderFlow.Engine;

/// <summary>The client side of <see cref="InMemoryEntityOrchestrationService"/>: starts, messages, reads and purges, on the inner service.</summary>
public sealed partial class InMemoryEntityOrchestrationService
{
    /// <inheritdoc />
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => this.inner.CreateTaskOrchestrationAsync(creationMessage);

    /// <inheritdoc />
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
        => this.inner.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    /// <inheritdoc />
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => this.inner.SendTaskOrchestrationMessageAsync(message);

    /// <inheritdoc />
    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => this.inner.SendTaskOrchestrationMessageBatchAsync(messages);

    /// <inheritdoc />
    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
        => this.inner.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    /// <inheritdoc />
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => this.inner.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    /// <inheritdoc />
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
        => this.inner.GetOrchestrationStateAsync(instanceId, allExecutions);

    /// <inheritdoc />
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId)
        => this.inner.GetOrchestrationStateAsync(instanceId, executionId);

    /// <inheritdoc />
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => this.inner.GetOrchestrationHistoryAsync(instanceId, executionId);

    /// <inheritdoc />
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
        => this.inner.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    /// <inheritdoc />
    /// <remarks>The in-memory store keeps every instance until purged; a long-running process purges finished ones.</remarks>
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        this.timers.Drop(instanceId);
        return ((IOrchestrationServicePurgeClient)this.inner).PurgeInstanceStateAsync(instanceId);
    }

    /// <inheritdoc />
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
        => ((IOrchestrationServicePurgeClient)this.inner).PurgeInstanceStateAsync(purgeInstanceFilter);

    /// <inheritdoc />
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
        => this.inner.GetOrchestrationWithQueryAsync(query, cancellationToken);
}
