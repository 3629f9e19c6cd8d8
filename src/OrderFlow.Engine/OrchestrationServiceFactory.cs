using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Engine;

/// <summary>Builds the configured backend; the worker and the client share the one instance.</summary>
internal static class OrchestrationServiceFactory
{
    public static IOrchestrationService Create(DurableEngineOptions options, ILoggerFactory loggerFactory)
    {
        options.Validate();
        return options.Backend switch
        {
            DurableEngineBackend.InMemory => new InMemoryEntityOrchestrationService(
                options.MaxConcurrentOrchestrations, options.MaxConcurrentActivities, options.MaxConcurrentEntities, loggerFactory, options.ManualTimers, options.InMemoryFinishedInstanceRetention),
            DurableEngineBackend.AzureStorage => new AzureStorageOrchestrationService(AzureStorageSettings(options, loggerFactory)),
            _ => throw new InvalidOperationException($"Unknown durable engine backend '{options.Backend}'."),
        };
    }

    /// <summary>The AzureStorage backend's settings from <paramref name="options"/> (visible to tests).</summary>
    internal static AzureStorageOrchestrationServiceSettings AzureStorageSettings(DurableEngineOptions options, ILoggerFactory loggerFactory)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString),
            WorkerId = options.WorkerId,
            PartitionCount = options.PartitionCount,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskEntityWorkItems = options.MaxConcurrentEntities,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,

            // Extended sessions stay off: with them the shimmed entities lost their state (docs/performance.md).
            ControlQueueBatchSize = options.ControlQueueBatchSize,
            ControlQueueBufferThreshold = options.ControlQueueBufferThreshold,

            // Entities get their own work-item queue and dispatcher (required by the shim's entity support).
            UseSeparateQueueForEntityWorkItems = true,

            // Without this, a start that is deduplicated returns silently and the client cannot tell.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        };
        if (options.ControlQueueVisibilityTimeout is { } control)
        {
            settings.ControlQueueVisibilityTimeout = control;
        }

        if (options.WorkItemQueueVisibilityTimeout is { } workItem)
        {
            settings.WorkItemQueueVisibilityTimeout = workItem;
        }

        return settings;
    }
}
