using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Engine;

/// <summary>
/// In-memory backend with durable-entity support: wraps the InProcessTestHost's
/// <see cref="InMemoryOrchestrationService"/> (which has a single work-item queue and no entity support) and
/// splits its work items into an orchestration queue and an entity queue (instance ids starting with '@'),
/// so that DurableTask.Core's <see cref="TaskHubWorker"/> runs its separate entity dispatcher.
/// </summary>
/// <remarks>
/// While started, one pump takes every ready instance from the inner service (which locks it) and routes it.
/// Work items still queued at stop are abandoned and released, so a later start processes them.
/// Durable timers are held by <see cref="InMemoryTimers"/>, which drops those of finished and purged instances.
/// </remarks>
public sealed partial class InMemoryEntityOrchestrationService : IEntityOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    private readonly InMemoryOrchestrationService inner;
    private readonly Channel<TaskOrchestrationWorkItem> orchestrationItems = Channel.CreateUnbounded<TaskOrchestrationWorkItem>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<TaskOrchestrationWorkItem> entityItems = Channel.CreateUnbounded<TaskOrchestrationWorkItem>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly EntityBackendProperties entityBackendProperties;
    private readonly InMemoryEntityBackendQueries entityBackendQueries;
    private readonly ILogger logger;
    private readonly SemaphoreSlim startStopLock = new(1, 1);
    private readonly ManualTimers? manualTimers;
    private readonly InMemoryTimers timers;
    private readonly InMemoryRetention? retention;
    private readonly ConcurrentDictionary<string, byte> finishing = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? pumpCancellation;
    private Task? pump;

    /// <summary>Creates an empty in-memory task hub.</summary>
    public InMemoryEntityOrchestrationService(
        int maxConcurrentOrchestrations = 100,
        int maxConcurrentActivities = 100,
        int maxConcurrentEntities = 100,
        ILoggerFactory? loggerFactory = null,
        ManualTimers? manualTimers = null,
        TimeSpan? finishedRetention = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentOrchestrations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentActivities, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentEntities, 1);
        this.inner = new InMemoryOrchestrationService(loggerFactory);
        this.logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<InMemoryEntityOrchestrationService>();
        this.MaxConcurrentTaskOrchestrationWorkItems = maxConcurrentOrchestrations;
        this.MaxConcurrentTaskActivityWorkItems = maxConcurrentActivities;
        this.entityBackendProperties = new EntityBackendProperties
        {
            // Messages are delivered once and in order, so no reordering window is needed.
            EntityMessageReorderWindow = TimeSpan.Zero,
            MaxEntityOperationBatchSize = null,
            MaxConcurrentTaskEntityWorkItems = maxConcurrentEntities,
            SupportsImplicitEntityDeletion = false,
            MaximumSignalDelayTime = TimeSpan.FromDays(6),
            UseSeparateQueueForEntityWorkItems = true,
        };
        this.entityBackendQueries = new InMemoryEntityBackendQueries(this.inner);
        this.manualTimers = manualTimers;
        manualTimers?.Attach(messages => this.inner.SendTaskOrchestrationMessageBatchAsync(messages));
        this.timers = new InMemoryTimers(
            messages => this.inner.SendTaskOrchestrationMessageBatchAsync(messages),
            instanceId => this.inner.GetOrchestrationStateAsync(instanceId, executionId: null).GetAwaiter().GetResult() is not null);
        this.retention = finishedRetention is { } keep
            ? new InMemoryRetention(
                keep,
                instanceId => this.inner.GetOrchestrationStateAsync(instanceId, executionId: null).GetAwaiter().GetResult() is { } state && IsFinished(state.OrchestrationStatus)
                    ? state.LastUpdatedTime : null,
                instanceId => this.PurgeInstanceStateAsync(instanceId))
            : null;
    }

    /// <summary>With a finished-instance retention: finished instances waiting to be purged (null without one).</summary>
    internal InMemoryRetention? Retention => this.retention;

    /// <summary>Durable timers waiting to fall due (a finished or purged instance's are dropped at once).</summary>
    public int PendingTimerCount => this.timers.Count;

    /// <inheritdoc />
    public EntityBackendProperties EntityBackendProperties => this.entityBackendProperties;

    /// <inheritdoc />
    public EntityBackendQueries EntityBackendQueries => this.entityBackendQueries;

    /// <inheritdoc />
    public int TaskOrchestrationDispatcherCount => 1;

    /// <inheritdoc />
    public int MaxConcurrentTaskOrchestrationWorkItems { get; }

    /// <inheritdoc />
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => this.inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc />
    public int TaskActivityDispatcherCount => 1;

    /// <inheritdoc />
    public int MaxConcurrentTaskActivityWorkItems { get; }

    /// <inheritdoc />
    public async Task StartAsync()
    {
        await this.startStopLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (this.pump is null)
            {
                this.pumpCancellation = new CancellationTokenSource();
                this.pump = Task.Run(() => this.PumpAsync(this.pumpCancellation.Token));
            }
        }
        finally
        {
            this.startStopLock.Release();
        }
    }

    /// <inheritdoc />
    public Task StopAsync() => this.StopAsync(isForced: false);

    /// <inheritdoc />
    public async Task StopAsync(bool isForced)
    {
        await this.startStopLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (this.pump is null || this.pumpCancellation is null)
            {
                return;
            }

            await this.pumpCancellation.CancelAsync().ConfigureAwait(false);
            await this.pump.ConfigureAwait(false);
            this.pumpCancellation.Dispose();
            this.pumpCancellation = null;
            this.pump = null;

            // Hand work items nobody fetched back to the store, unlocked, so that they are not stranded.
            await ReturnAllAsync(this.orchestrationItems.Reader).ConfigureAwait(false);
            await ReturnAllAsync(this.entityItems.Reader).ConfigureAwait(false);
        }
        finally
        {
            this.startStopLock.Release();
        }

        async Task ReturnAllAsync(ChannelReader<TaskOrchestrationWorkItem> reader)
        {
            while (reader.TryRead(out TaskOrchestrationWorkItem? item))
            {
                await this.inner.AbandonTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
                await this.inner.ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public Task CreateAsync() => this.inner.CreateAsync();

    /// <inheritdoc />
    public Task CreateAsync(bool recreateInstanceStore)
    {
        if (recreateInstanceStore)
        {
            this.timers.Clear();
        }

        return this.inner.CreateAsync(recreateInstanceStore);
    }

    /// <inheritdoc />
    public Task CreateIfNotExistsAsync() => this.inner.CreateIfNotExistsAsync();

    /// <inheritdoc />
    public Task DeleteAsync() => this.DeleteAsync(deleteInstanceStore: true);

    /// <inheritdoc />
    public Task DeleteAsync(bool deleteInstanceStore)
    {
        if (deleteInstanceStore)
        {
            this.timers.Clear();
        }

        return this.inner.DeleteAsync(deleteInstanceStore);
    }

    /// <inheritdoc />
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState)
        => this.inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => this.inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => this.inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <summary>Not used: entity work items are dispatched separately (see <see cref="EntityBackendProperties"/>).</summary>
    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => throw new InvalidOperationException("This backend dispatches entities separately; use LockNextOrchestrationWorkItemAsync or LockNextEntityWorkItemAsync.");

    /// <inheritdoc />
    public Task<TaskOrchestrationWorkItem> LockNextOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => ReadAsync(this.orchestrationItems.Reader, receiveTimeout, cancellationToken);

    /// <inheritdoc />
    public Task<TaskOrchestrationWorkItem> LockNextEntityWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => ReadAsync(this.entityItems.Reader, receiveTimeout, cancellationToken);

    /// <inheritdoc />
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => this.inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc />
    /// <remarks>
    /// Timers not yet due are held by <see cref="InMemoryTimers"/>. When the instance finished (or continued as new),
    /// its pending timers and this episode's new ones are dropped: nothing of that execution can use them any more.
    /// </remarks>
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        var now = DateTime.UtcNow;
        var timersLeft = this.manualTimers?.Filter(timerMessages, now) ?? timerMessages;
        var finished = IsFinished(newOrchestrationRuntimeState.OrchestrationStatus);
        if (finished && this.retention is not null)
        {
            this.finishing[workItem.InstanceId] = 0;
        }

        if (continuedAsNewMessage is not null || finished)
        {
            this.timers.Drop(workItem.InstanceId);
            timersLeft = [.. timersLeft.Where(m => m.Event is not TimerFiredEvent)];
        }
        else
        {
            timersLeft = this.timers.Hold(timersLeft, now);
        }

        return this.inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timersLeft, continuedAsNewMessage!, orchestrationState);
    }

    /// <inheritdoc />
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => this.inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc />
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        await this.inner.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        if (this.finishing.TryRemove(workItem.InstanceId, out _))
        {
            this.retention?.Finished(workItem.InstanceId, DateTime.UtcNow);
        }
    }

    /// <inheritdoc />
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => this.inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    /// <inheritdoc />
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => this.inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc />
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
        => this.inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    /// <inheritdoc />
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => this.inner.AbandonTaskActivityWorkItemAsync(workItem);

    private static async Task<TaskOrchestrationWorkItem> ReadAsync(
        ChannelReader<TaskOrchestrationWorkItem> reader, TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out TaskOrchestrationWorkItem? ready))
        {
            return ready;
        }

        // Wait at most receiveTimeout; "no work item" is a null result, which the dispatcher expects.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(receiveTimeout);
        try
        {
            if (await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false) && reader.TryRead(out TaskOrchestrationWorkItem? item))
            {
                return item;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // receive timeout
        }

        return null!;
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TaskOrchestrationWorkItem item;
            try
            {
                item = await this.inner.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The pump must outlive one bad read; it logs and goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                this.logger.LogError(ex, "In-memory work-item pump failed to take the next instance.");
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (IsEntity(item.InstanceId))
            {
                // An entity comes into being with its first message: like the AzureStorage backend, prepend the
                // ExecutionStarted event that the entity dispatcher expects (it drops messages for unstarted instances).
                if (item.OrchestrationRuntimeState.ExecutionStartedEvent is null
                    && !item.NewMessages.Any(m => m.Event is ExecutionStartedEvent))
                {
                    DurableTask.Core.Common.Entities.AutoStart(item.InstanceId, item.NewMessages);
                }

                this.entityItems.Writer.TryWrite(item);
            }
            else
            {
                this.orchestrationItems.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>Stops the timer clock (the engine disposes its backend after stopping it).</summary>
    public void Dispose()
    {
        this.timers.Dispose();
        this.retention?.Dispose();
    }

    private static bool IsFinished(OrchestrationStatus status)
        => status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    private static bool IsEntity(string instanceId) => instanceId.Length > 0 && instanceId[0] == '@';
}
