using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace OrderFlow.Engine;

/// <summary>
/// Client of the one-machine durable engine, over DurableTask.Core's <see cref="TaskHubClient"/>: starts
/// orchestrations under caller-chosen instance ids (each id at most once), raises events, reads status and
/// entity state. It serializes with the engine's <see cref="DurableEngineOptions.DataConverter"/>.
/// </summary>
public sealed partial class TaskHubWorkflowClient
{
    // Every status: an instance id that exists in any state is never started again.
    private static readonly OrchestrationStatus[] AllStatuses = Enum.GetValues<OrchestrationStatus>();

    private readonly IOrchestrationServiceClient serviceClient;
    private readonly TaskHubClient client;
    private readonly DurableEngineOptions options;

    /// <summary>Creates a client of the given engine (over the same backend instance its worker uses).</summary>
    public TaskHubWorkflowClient(DurableEngine engine, ILoggerFactory? loggerFactory = null)
        : this(
            (engine ?? throw new ArgumentNullException(nameof(engine))).OrchestrationService as IOrchestrationServiceClient
                ?? throw new ArgumentException("The engine's backend is not an orchestration service client.", nameof(engine)),
            engine.Options,
            loggerFactory)
    {
    }

    /// <summary>Creates a client over a backend directly, e.g. a process that only starts work for another process's worker.</summary>
    public TaskHubWorkflowClient(IOrchestrationServiceClient serviceClient, DurableEngineOptions options, ILoggerFactory? loggerFactory = null)
    {
        this.serviceClient = serviceClient ?? throw new ArgumentNullException(nameof(serviceClient));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.client = new TaskHubClient(serviceClient, new CoreDataConverterAdapter(this.options.DataConverter), loggerFactory);
    }

    /// <summary>The converter used for inputs, outputs, events and entity state.</summary>
    public DataConverter DataConverter => this.options.DataConverter;

    /// <summary>Starts orchestrator <typeparamref name="TOrchestrator"/> (by class name); see <see cref="StartOrchestrationAsync(string, string, object?, CancellationToken)"/>.</summary>
    public Task<bool> StartOrchestrationAsync<TOrchestrator>(string instanceId, object? input, CancellationToken cancellationToken = default)
        where TOrchestrator : ITaskOrchestrator
        => this.StartOrchestrationAsync(typeof(TOrchestrator).Name, instanceId, input, cancellationToken);

    /// <summary>
    /// Starts an orchestration with the given instance id unless an instance with that id exists in any state.
    /// </summary>
    /// <returns><c>true</c> when this call created the instance; <c>false</c> when the id was already taken.</returns>
    public async Task<bool> StartOrchestrationAsync(string orchestratorName, string instanceId, object? input, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ValidateInstanceId(instanceId);
        cancellationToken.ThrowIfCancellationRequested();

        OrchestrationInstance created;
        try
        {
            created = await this.client.CreateOrchestrationInstanceAsync(
                orchestratorName, string.Empty, instanceId, input, tags: null, dedupeStatuses: AllStatuses).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }

        if (this.serviceClient is InMemoryEntityOrchestrationService)
        {
            return true; // creation is checked and done under one lock there
        }

        // AzureStorage checks for an existing instance, then inserts its row: two racing starts can both pass
        // the check, but only one insert wins and the loser's start message is dropped as a duplicate. Read back
        // whose execution the row holds to learn whether this call won.
        OrchestrationState? state = await this.client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        return state?.OrchestrationInstance?.ExecutionId == created.ExecutionId;
    }

    /// <summary>
    /// Starts a new run under an instance id whose instance ended Failed or Terminated, replacing it (its history is
    /// gone; the new run starts from its input). False when no instance has this id or it has not ended that way, and
    /// when a concurrent start or restart took the id first.
    /// </summary>
    public async Task<bool> RestartOrchestrationAsync(string orchestratorName, string instanceId, object? input, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ValidateInstanceId(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        OrchestrationState? current = await this.client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        if (current is null || current.OrchestrationStatus is not (OrchestrationStatus.Failed or OrchestrationStatus.Terminated))
        {
            return false;
        }

        // Every status but the two being replaced blocks the start: a concurrent restart that already created the new
        // run (Pending or Running) wins, and a finished one is never run again.
        OrchestrationStatus[] blocking = [.. AllStatuses.Where(s => s is not (OrchestrationStatus.Failed or OrchestrationStatus.Terminated))];
        OrchestrationInstance created;
        try
        {
            created = await this.client.CreateOrchestrationInstanceAsync(
                orchestratorName, string.Empty, instanceId, input, tags: null, dedupeStatuses: blocking).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }

        if (this.serviceClient is InMemoryEntityOrchestrationService)
        {
            return true;
        }

        OrchestrationState? state = await this.client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        return state?.OrchestrationInstance?.ExecutionId == created.ExecutionId;
    }

    /// <summary>Raises an external event on an instance. An event for an instance that does not exist is dropped.</summary>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventData, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        cancellationToken.ThrowIfCancellationRequested();
        return this.client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, eventData!);
    }

    /// <summary>Terminates a running instance.</summary>
    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        return this.client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);
    }

    /// <summary>Reads an instance's status, or <c>null</c> when no instance has this id.</summary>
    public async Task<WorkflowInstanceStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        OrchestrationState? state = await this.client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        return state is null ? null : new WorkflowInstanceStatus(state, this.options.DataConverter);
    }

    /// <summary>
    /// Instances of orchestrator <paramref name="orchestratorName"/> in one of <paramref name="statuses"/>, at most
    /// <paramref name="limit"/>, paging through the backend's instance query (entities excluded).
    /// </summary>
    /// <exception cref="NotSupportedException">The backend cannot query instances.</exception>
    public async Task<IReadOnlyList<WorkflowInstanceStatus>> ListInstancesAsync(
        string orchestratorName, IReadOnlyCollection<Microsoft.DurableTask.Client.OrchestrationRuntimeStatus> statuses, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (this.serviceClient is not DurableTask.Core.Query.IOrchestrationServiceQueryClient queries)
        {
            throw new NotSupportedException("The engine's backend cannot list instances by status.");
        }

        var query = new DurableTask.Core.Query.OrchestrationQuery
        {
            RuntimeStatus = [.. statuses.Select(s => (OrchestrationStatus)(int)s)],
            PageSize = Math.Min(limit, 100),
            FetchInputsAndOutputs = true, // a terminated instance's reason is its output
            ExcludeEntities = true,
        };
        var found = new List<WorkflowInstanceStatus>();
        do
        {
            var page = await queries.GetOrchestrationWithQueryAsync(query, cancellationToken).ConfigureAwait(false);
            found.AddRange(page.OrchestrationState
                .Where(s => string.Equals(s.Name, orchestratorName, StringComparison.Ordinal))
                .Select(s => new WorkflowInstanceStatus(s, this.options.DataConverter)));
            query.ContinuationToken = page.ContinuationToken;
        }
        while (found.Count < limit && !string.IsNullOrEmpty(query.ContinuationToken));

        return found.Count > limit ? found[..limit] : found;
    }

    /// <summary>
    /// Waits until the instance is completed, failed or terminated, and returns that status.
    /// </summary>
    /// <exception cref="TimeoutException">The instance did not finish within <paramref name="timeout"/>.</exception>
    public async Task<WorkflowInstanceStatus> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        if (this.serviceClient is InMemoryEntityOrchestrationService)
        {
            // The in-memory store signals completion, so no polling.
            try
            {
                OrchestrationState? done = await this.client.WaitForOrchestrationAsync(
                    new OrchestrationInstance { InstanceId = instanceId }, timeout, cancellationToken).ConfigureAwait(false);
                if (done is not null)
                {
                    return new WorkflowInstanceStatus(done, this.options.DataConverter);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // timed out
            }

            throw await this.TimeoutAsync(instanceId, timeout, "finish").ConfigureAwait(false);
        }

        return await this.PollAsync(instanceId, s => s.IsTerminal, timeout, "finish", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the instance's status satisfies <paramref name="condition"/> (e.g. a custom status it sets), and returns it.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public Task<WorkflowInstanceStatus> WaitForStatusAsync(
        string instanceId, Func<WorkflowInstanceStatus, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        ArgumentNullException.ThrowIfNull(condition);
        return this.PollAsync(instanceId, condition, timeout, "reach the awaited status", cancellationToken);
    }

    /// <summary>
    /// Waits until the instance exists and has left the Pending state (its first episode ran), and returns that status.
    /// </summary>
    /// <exception cref="TimeoutException">The instance did not start within <paramref name="timeout"/>.</exception>
    public Task<WorkflowInstanceStatus> WaitForStartAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        return this.PollAsync(
            instanceId, s => s.RuntimeStatus != Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Pending, timeout, "start", cancellationToken);
    }

    /// <summary>Signals an entity operation (fire and forget), as an orchestration's SignalEntityAsync does.</summary>
    public Task SignalEntityAsync(EntityInstanceId entityId, string operationName, object? input = null, CancellationToken cancellationToken = default)
    {
        ValidateEntityId(entityId);
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        cancellationToken.ThrowIfCancellationRequested();
        EntityMessageEvent message = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = ToCoreId(entityId).ToString() },
            Guid.NewGuid(),
            operationName,
            this.options.DataConverter.Serialize(input),
            scheduledTimeUtc: null);
        return this.serviceClient.SendTaskOrchestrationMessageAsync(message.AsTaskMessage());
    }

    /// <summary>
    /// Reads an entity's current state, deserialized with the engine's converter; <c>default</c> when the
    /// entity does not exist or has no state. Reads storage directly (no orchestration, no lock), so it sees
    /// the state as of the entity's last completed batch.
    /// </summary>
    public async Task<TState?> GetEntityStateAsync<TState>(EntityInstanceId entityId, CancellationToken cancellationToken = default)
    {
        string? serialized = await this.GetSerializedEntityStateAsync(entityId, cancellationToken).ConfigureAwait(false);
        return serialized is null ? default : this.options.DataConverter.Deserialize<TState>(serialized);
    }

    /// <summary>Reads an entity's serialized state; <c>null</c> when it does not exist or has no state.</summary>
    public async Task<string?> GetSerializedEntityStateAsync(EntityInstanceId entityId, CancellationToken cancellationToken = default)
    {
        ValidateEntityId(entityId);
        EntityId id = ToCoreId(entityId);
        if (this.serviceClient is IEntityOrchestrationService { EntityBackendQueries: { } queries })
        {
            EntityBackendQueries.EntityMetadata? metadata = await queries.GetEntityAsync(
                id, includeState: true, includeStateless: false, cancellationToken).ConfigureAwait(false);
            return metadata?.SerializedState;
        }

        // Fallback for a backend without entity queries: the entity's instance input is its scheduler state.
        OrchestrationState? state = await this.client.GetOrchestrationStateAsync(id.ToString()).ConfigureAwait(false);
        return state is null ? null : ClientEntityHelpers.GetEntityState(state.Input);
    }

    private async Task<WorkflowInstanceStatus> PollAsync(
        string instanceId, Func<WorkflowInstanceStatus, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            WorkflowInstanceStatus? status = await this.GetStatusAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (status is not null && done(status))
            {
                return status;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw await this.TimeoutAsync(instanceId, timeout, what).ConfigureAwait(false);
            }

            await Task.Delay(left < this.options.StatusPollingInterval ? left : this.options.StatusPollingInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TimeoutException> TimeoutAsync(string instanceId, TimeSpan timeout, string what)
    {
        WorkflowInstanceStatus? last = await this.GetStatusAsync(instanceId).ConfigureAwait(false);
        return new TimeoutException(
            $"Instance '{instanceId}' did not {what} within {timeout}; last status: {(last is null ? "not found" : last.ToString())}.");
    }

    private static EntityId ToCoreId(EntityInstanceId entityId) => new(entityId.Name, entityId.Key);

    private static void ValidateInstanceId(string instanceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        if (instanceId[0] == '@')
        {
            throw new ArgumentException("Instance ids starting with '@' are reserved for entities.", nameof(instanceId));
        }
    }

    private static void ValidateEntityId(EntityInstanceId entityId)
    {
        if (string.IsNullOrEmpty(entityId.Name) || entityId.Key is null)
        {
            throw new ArgumentException("The entity id needs a name and a key.", nameof(entityId));
        }
    }
}
