using System.Collections.Concurrent;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>A storefront writer that keeps every write it was given and fails while <see cref="Failure"/> is set.</summary>
public sealed class RecordingStorefrontWriter(string channel) : IStorefrontWriter
{
    public string Channel { get; } = channel;

    public bool Enabled { get; set; } = true;

    public ConcurrentQueue<WriteBackRequest> Writes { get; } = new();

    /// <summary>Thrown by the next writes while set (the write is not kept).</summary>
    public Exception? Failure { get; set; }

    public Task WriteAsync(WriteBackRequest request, CancellationToken cancellationToken = default)
    {
        if (Failure is { } failure)
        {
            return Task.FromException(failure);
        }

        Writes.Enqueue(request);
        return Task.CompletedTask;
    }
}
