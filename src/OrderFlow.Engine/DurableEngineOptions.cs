using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace OrderFlow.Engine;

/// <summary>Settings of the one-machine durable engine (worker and client alike).</summary>
public sealed partial class DurableEngineOptions
{
    /// <summary>Backend that stores instances, messages and entity state.</summary>
    public DurableEngineBackend Backend { get; set; } = DurableEngineBackend.InMemory;

    /// <summary>Task hub name: letters and digits only, 3 to 45 characters, starting with a letter.</summary>
    public string TaskHubName { get; set; } = "OrderFlow";

    /// <summary>Storage connection string for <see cref="DurableEngineBackend.AzureStorage"/>.</summary>
    public string StorageConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// Stable identity of this worker. Partition leases are owned by this id, so a restarted process with
    /// the same id takes its leases back at once instead of waiting for them to expire (about 30 s).
    /// </summary>
    public string WorkerId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Activity work items run at the same time: 10 per processor by default (Durable Functions' default on a dedicated
    /// plan, and what host.json sets for 2 cores). Activities write to the same tables as the webhook's dedupe insert, so
    /// more of them at once lengthens the acknowledgement's tail without finishing orders sooner (docs/performance.md).
    /// </summary>
    public int MaxConcurrentActivities { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>Orchestration work items (episodes) run at the same time.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Entity operation batches run at the same time (one batch per entity at a time).</summary>
    public int MaxConcurrentEntities { get; set; } = 100;

    /// <summary>Control-queue partitions of the AzureStorage backend (1 to 16). Fixed once a task hub exists.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Longest back-off between polls of an idle AzureStorage queue. The library default (30 s) makes the first
    /// message after an idle spell wait up to that long; a short value trades idle storage calls for latency.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// AzureStorage only: how long a control-queue message (orchestration and entity messages) a worker took stays
    /// invisible to others. Null keeps the library default (5 minutes). A process killed mid-episode leaves its
    /// dequeued messages invisible this long, so its orders stall until it ends; the engine drops a message it sees
    /// twice, so a short value only costs a re-read.
    /// </summary>
    public TimeSpan? ControlQueueVisibilityTimeout { get; set; }

    /// <summary>
    /// AzureStorage only: the same for activity messages (work-item queue). Null keeps the library default (5 minutes).
    /// A running activity's message is renewed every few seconds, so a short value does not hand a slow activity to
    /// a second worker; it only bounds how long a killed process's activities wait before they run again.
    /// </summary>
    public TimeSpan? WorkItemQueueVisibilityTimeout { get; set; }

    /// <summary>AzureStorage backend: control-queue messages fetched per poll (1 to 32, the library's default 32).</summary>
    public int ControlQueueBatchSize { get; set; } = 32;

    /// <summary>
    /// AzureStorage backend: control-queue messages prefetched and buffered in memory per partition before polling
    /// pauses (1 to 1000; the library's default 256).
    /// </summary>
    public int ControlQueueBufferThreshold { get; set; } = 256;

    /// <summary>How often the client re-reads an instance's status while waiting on the AzureStorage backend.</summary>
    public TimeSpan StatusPollingInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Serializer for inputs, outputs, events, custom status and entity state. The worker's shims and the
    /// client use this same instance, so records round-trip. Default: System.Text.Json (<see cref="JsonDataConverter.Default"/>).
    /// </summary>
    public DataConverter DataConverter { get; set; } = JsonDataConverter.Default;

    /// <summary>
    /// Tests only, in-memory backend only: hold long durable timers until the test fires them (see <see cref="Engine.ManualTimers"/>).
    /// Set in code, never from configuration.
    /// </summary>
    public ManualTimers? ManualTimers { get; set; }

    /// <summary>
    /// In-memory backend only: purge an orchestration instance (status, history, input and output) once it has been
    /// finished (Completed, Failed or Terminated) this long; at least one minute. Unset (the default): every instance
    /// is kept for the life of the process, so a long-running in-memory host grows by every order it ran.
    /// </summary>
    public TimeSpan? InMemoryFinishedInstanceRetention { get; set; }

    /// <summary>
    /// Shortest queue visibility timeout accepted: a running activity's message is renewed every few seconds, and
    /// an Azure queue message's visibility has a one-second granularity.
    /// </summary>
    public static readonly TimeSpan MinimumVisibilityTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every setting that is not usable.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (!TaskHubNamePattern().IsMatch(this.TaskHubName ?? string.Empty))
        {
            errors.Add($"{nameof(this.TaskHubName)} '{this.TaskHubName}' must be 3-45 letters or digits, starting with a letter.");
        }

        if (this.Backend == DurableEngineBackend.AzureStorage && string.IsNullOrWhiteSpace(this.StorageConnectionString))
        {
            errors.Add($"{nameof(this.StorageConnectionString)} is required for the {nameof(DurableEngineBackend.AzureStorage)} backend.");
        }

        if (string.IsNullOrWhiteSpace(this.WorkerId))
        {
            errors.Add($"{nameof(this.WorkerId)} is required.");
        }

        if (this.MaxConcurrentActivities < 1 || this.MaxConcurrentOrchestrations < 1 || this.MaxConcurrentEntities < 1)
        {
            errors.Add("MaxConcurrentActivities, MaxConcurrentOrchestrations and MaxConcurrentEntities must be at least 1.");
        }

        if (this.PartitionCount is < 1 or > 16)
        {
            errors.Add($"{nameof(this.PartitionCount)} must be between 1 and 16.");
        }

        if (this.ControlQueueBatchSize is < 1 or > 32)
        {
            errors.Add($"{nameof(this.ControlQueueBatchSize)} must be between 1 and 32.");
        }

        if (this.ControlQueueBufferThreshold is < 1 or > 1000)
        {
            errors.Add($"{nameof(this.ControlQueueBufferThreshold)} must be between 1 and 1000.");
        }

        if (this.MaxQueuePollingInterval <= TimeSpan.Zero || this.StatusPollingInterval <= TimeSpan.Zero)
        {
            errors.Add("Polling intervals must be positive.");
        }

        if (this.ControlQueueVisibilityTimeout is { } control && control < MinimumVisibilityTimeout
            || this.WorkItemQueueVisibilityTimeout is { } workItem && workItem < MinimumVisibilityTimeout)
        {
            errors.Add($"{nameof(this.ControlQueueVisibilityTimeout)} and {nameof(this.WorkItemQueueVisibilityTimeout)} must be at least {MinimumVisibilityTimeout.TotalSeconds:0} s when set.");
        }

        if (this.ManualTimers is not null && this.Backend != DurableEngineBackend.InMemory)
        {
            errors.Add($"{nameof(this.ManualTimers)} works on the {nameof(DurableEngineBackend.InMemory)} backend only.");
        }

        if (this.InMemoryFinishedInstanceRetention is { } retention
            && (this.Backend != DurableEngineBackend.InMemory || retention < InMemoryRetention.Minimum))
        {
            errors.Add($"{nameof(this.InMemoryFinishedInstanceRetention)} works on the {nameof(DurableEngineBackend.InMemory)} backend only, and is at least {InMemoryRetention.Minimum.TotalMinutes:0} minute.");
        }

        if (this.DataConverter is null)
        {
            errors.Add($"{nameof(this.DataConverter)} is required.");
        }

        if (!Enum.IsDefined(this.Backend))
        {
            errors.Add($"{nameof(this.Backend)} '{this.Backend}' is not a known backend.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid durable engine options: " + string.Join(" ", errors));
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubNamePattern();
}
