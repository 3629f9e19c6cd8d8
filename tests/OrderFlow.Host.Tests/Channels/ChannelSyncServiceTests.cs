using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Host.Channels;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Storage;
using OrderFlow.Testing;

namespace OrderFlow.Host.Tests.Channels;

/// <summary>The host's sync service on Azurite: a failed pass is logged and the next tick pushes the still-dirty SKU.</summary>
public sealed class ChannelSyncServiceTests : IAsyncLifetime
{
    private readonly OrderFlowTables tables;

    public ChannelSyncServiceTests()
    {
        var storage = new StorageOptions { ConnectionString = AzuriteConnection.ConnectionString, TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12] };
        tables = new OrderFlowTables(StorageClients.CreateTableService(storage.ConnectionString), Options.Create(storage));
    }

    public Task InitializeAsync() => AzuriteConnection.EnsureReachableAsync();

    public async Task DisposeAsync() =>
        await StorageClients.CreateTableService(AzuriteConnection.ConnectionString).DeleteTableAsync(tables.NameOf(TableNames.ChannelSync));

    [Fact]
    public async Task ExecuteAsync_FirstPassFails_NextTickPushesTheDirtySku()
    {
        var outbox = new TableChannelSyncOutbox(tables);
        await outbox.RecordAsync("MUG-1", new Dictionary<string, int> { ["WH-EAST"] = 3 }, 1);
        var channel = new FlakyChannel();
        var pusher = new ChannelSyncPusher(outbox, [channel], NullLogger<ChannelSyncPusher>.Instance);
        using var service = new ChannelSyncService(
            pusher,
            Options.Create(new ChannelsOptions { SyncInterval = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System,
            NullLogger<ChannelSyncService>.Instance);

        await service.StartAsync(CancellationToken.None);
        var pushed = await channel.Pushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.True(channel.Calls >= 2);
        Assert.Equal(new ChannelStockLevel("MUG-1", "WH-EAST", 3), Assert.Single(pushed));
    }

    /// <summary>Unreachable on the first call, then takes the levels.</summary>
    private sealed class FlakyChannel : ISalesChannel
    {
        private int calls;

        public string Name => "Flaky";

        public int Calls => calls;

        public TaskCompletionSource<IReadOnlyList<ChannelStockLevel>> Pushed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PushAsync(IReadOnlyList<ChannelStockLevel> levels, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new HttpRequestException("connection refused");
            }

            Pushed.TrySetResult(levels);
            return Task.CompletedTask;
        }
    }
}
