using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory held cancellations, once per (order, request id), in the order they were held.</summary>
public sealed class FakePendingCancellationStore : IPendingCancellationStore
{
    private readonly ConcurrentDictionary<string, List<CancelOrderRequest>> held = new(StringComparer.Ordinal);

    public Task HoldAsync(string orderId, CancelOrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var list = this.held.GetOrAdd(orderId, _ => []);
        lock (list)
        {
            if (!list.Exists(r => r.RequestId == request.RequestId))
            {
                list.Add(request);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CancelOrderRequest>> ListAsync(string orderId, CancellationToken cancellationToken = default)
    {
        if (!this.held.TryGetValue(orderId, out var list))
        {
            return Task.FromResult<IReadOnlyList<CancelOrderRequest>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<CancelOrderRequest>>([.. list]);
        }
    }

    public Task RemoveAsync(string orderId, string requestId, CancellationToken cancellationToken = default)
    {
        if (this.held.TryGetValue(orderId, out var list))
        {
            lock (list)
            {
                list.RemoveAll(r => r.RequestId == requestId);
            }
        }

        return Task.CompletedTask;
    }
}
