using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IFulfillmentCanceller"/>: records the cancellations locations were told (one per idempotency
/// key) and answers each as scripted per fulfillment (cancelled unless a test says otherwise).
/// </summary>
public sealed class FakeFulfillmentCanceller(ChangeFeed feed) : IFulfillmentCanceller
{
    private readonly ConcurrentDictionary<string, FulfillmentCancellation> byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocationCancelAnswer> answers = new(StringComparer.Ordinal);
    private int calls;

    public int Calls => Volatile.Read(ref this.calls);

    /// <summary>Cancellations the locations received (one per idempotency key).</summary>
    public IReadOnlyList<FulfillmentCancellation> Cancellations => [.. this.byKey.Values.OrderBy(c => c.FulfillmentId, StringComparer.Ordinal)];

    /// <summary>What the location answers when told to cancel <paramref name="fulfillmentId"/>.</summary>
    public void Answer(string fulfillmentId, LocationCancelAnswer answer) => this.answers[fulfillmentId] = answer;

    public Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.calls);
        this.byKey.TryAdd(cancellation.IdempotencyKey, cancellation);
        feed.Publish();
        return Task.FromResult(this.answers.TryGetValue(cancellation.FulfillmentId, out var answer) ? answer : new LocationCancelAnswer(LocationCancelAnswer.Cancelled));
    }
}
