using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Creates every table at host start so the first order does not pay for it. Pick-list queues are per location and
/// are created by the fulfillment provider on first use.
/// </summary>
public sealed partial class StorageInitializer(OrderFlowTables tables, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.CreateAllAsync(cancellationToken);
        LogReady(TableNames.All.Count, tables.Prefix);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Count} tables with prefix '{Prefix}'")]
    private partial void LogReady(int count, string prefix);
}
