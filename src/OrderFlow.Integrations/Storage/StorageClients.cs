using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// The one place storage clients are configured, so the hosts, tools and tests all talk to storage the same way.
/// </summary>
public static class StorageClients
{
    /// <summary>
    /// Azure.Storage.Queues 12.28.1 defaults to service version 2026-10-06, which Azurite 3.37.0 rejects; Azure accepts
    /// the previous one too, so it is pinned here until Azurite catches up.
    /// </summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>Tables client; <paramref name="faults"/> (fault injection runs only) is added per retry.</summary>
    public static TableServiceClient CreateTableService(string connectionString, HttpPipelinePolicy? faults = null)
    {
        if (faults is null)
        {
            return new TableServiceClient(connectionString);
        }

        var options = new TableClientOptions();
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    /// <summary>
    /// Queue client with Base64 message bodies: what Azure Functions queue triggers expect by default;
    /// <paramref name="faults"/> (fault injection runs only) is added per retry.
    /// </summary>
    public static QueueServiceClient CreateQueueService(string connectionString, HttpPipelinePolicy? faults = null)
    {
        var options = new QueueClientOptions(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.Base64 };
        if (faults is not null)
        {
            options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        }

        return new QueueServiceClient(connectionString, options);
    }
}
