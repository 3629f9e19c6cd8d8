using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Per-test-class storage: a unique table/queue prefix on Azurite, removed again when the class is done.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public StorageFixture()
    {
        Azurite.EnsureReachable();
        Prefix = Azurite.NewPrefix();
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = Prefix });
        TableService = StorageClients.CreateTableService(Azurite.ConnectionString);
        QueueService = StorageClients.CreateQueueService(Azurite.ConnectionString);
        Tables = new OrderFlowTables(TableService, Options);
    }

    public string Prefix { get; }

    public IOptions<StorageOptions> Options { get; }

    public TableServiceClient TableService { get; }

    public QueueServiceClient QueueService { get; }

    public OrderFlowTables Tables { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var name in TableNames.All)
        {
            await TableService.DeleteTableAsync(Tables.NameOf(name));
        }

        await foreach (var queue in QueueService.GetQueuesAsync(prefix: Prefix.ToLowerInvariant()))
        {
            await QueueService.DeleteQueueAsync(queue.Name);
        }
    }
}
