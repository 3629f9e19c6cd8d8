using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IFulfillmentProvider"/>: records hand-offs (one per idempotency key) and lets a test await
/// the hand-off of a fulfillment, so it knows when to send that location's confirmation.
/// </summary>
public sealed class FakeFulfillmentProvider(ChangeFeed feed) : IFulfillmentProvider
{
    private readonly ConcurrentDictionary<string, FulfillmentDispatch> byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FulfillmentDispatch>> arrivals = new(StringComparer.Ordinal);
    private int calls;

    public int Calls => Volatile.Read(ref this.calls);

    /// <summary>Hand-offs the provider accepted (one per idempotency key).</summary>
    public IReadOnlyList<FulfillmentDispatch> Dispatches => [.. this.byKey.Values.OrderBy(d => d.FulfillmentId, StringComparer.Ordinal)];

    /// <summary>Completes when the fulfillment has been handed to its location.</summary>
    public Task<FulfillmentDispatch> DispatchedAsync(string fulfillmentId) => this.Arrival(fulfillmentId).Task;

    public Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.calls);
        var accepted = this.byKey.GetOrAdd(dispatch.IdempotencyKey, dispatch);
        this.Arrival(dispatch.FulfillmentId).TrySetResult(accepted);
        feed.Publish();
        return Task.FromResult($"pick-{accepted.FulfillmentId}");
    }

    private TaskCompletionSource<FulfillmentDispatch> Arrival(string fulfillmentId) =>
        this.arrivals.GetOrAdd(fulfillmentId, _ => new TaskCompletionSource<FulfillmentDispatch>(TaskCreationOptions.RunContinuationsAsynchronously));
}
