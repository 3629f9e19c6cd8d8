using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Hands out table clients under the configured prefix and creates each table once, on first use
/// (the <see cref="StorageInitializer"/> creates them all at start-up too).
/// </summary>
public sealed class OrderFlowTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new(StringComparer.Ordinal);

    public string Prefix { get; } = options.Value.TablePrefix;

    /// <summary>The physical table name for a logical one (see <see cref="TableNames"/>).</summary>
    public string NameOf(string logicalName) => Prefix + logicalName;

    public async Task<TableClient> GetAsync(string logicalName, CancellationToken cancellationToken = default)
    {
        var lazy = tables.GetOrAdd(logicalName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            // Do not cache a failed creation (e.g. storage briefly unreachable): the next call tries again.
            tables.TryRemove(KeyValuePair.Create(logicalName, lazy));
            throw;
        }
    }

    public async Task CreateAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in TableNames.All)
        {
            await GetAsync(name, cancellationToken);
        }
    }

    private async Task<TableClient> CreateAsync(string logicalName)
    {
        var client = service.GetTableClient(NameOf(logicalName));
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
