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

    public static TableServiceClient CreateTableService(string connectionString) => new(connectionString);

    /// <summary>Queue client with Base64 message bodies: what Azure Functions queue triggers expect by default.</summary>
    public static QueueServiceClient CreateQueueService(string connectionString) =>
        new(connectionString, new QueueClientOptions(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.Base64 });
}
