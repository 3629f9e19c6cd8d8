using System.Collections.Concurrent;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>A sales channel that keeps every batch it was given and fails while <see cref="Failure"/> is set.</summary>
public sealed class RecordingChannel(string name) : ISalesChannel
{
    public string Name { get; } = name;

    public ConcurrentQueue<IReadOnlyList<ChannelStockLevel>> Pushes { get; } = new();

    /// <summary>Thrown by the next pushes while set (the batch is not kept).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Runs inside a push, before it returns (to change the outbox while a push is under way).</summary>
    public Func<Task>? During { get; set; }

    public async Task PushAsync(IReadOnlyList<ChannelStockLevel> levels, CancellationToken cancellationToken = default)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (During is { } during)
        {
            await during();
        }

        Pushes.Enqueue(levels);
    }

    /// <summary>The pushes that carried <paramref name="sku"/>, with only that SKU's levels.</summary>
    public List<List<ChannelStockLevel>> PushesOf(string sku) =>
        Pushes.Select(p => p.Where(l => l.Sku == sku).ToList()).Where(p => p.Count > 0).ToList();
}
