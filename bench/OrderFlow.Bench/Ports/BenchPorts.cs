using System.Collections.Concurrent;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Bench.Ports;

// The bench runs over the same in-memory ports as the workflow tests (tests/Shared/Ports, see BenchHost), so the
// "orders" scenario measures the engine, the orchestrator and the inventory entity, not storage or HTTP. Only two
// behaviours are the bench's own: its locations ship at once, and every customer is new.

/// <summary>
/// The location "ships" at once: the hand-off raises the fulfillment's confirmation event back through the engine's
/// client (<see cref="FulfillmentConfirmationRouting"/>, as the fulfillment events route does), so every order runs to completion. (An event that arrives before the orchestrator waits for it is buffered.)
/// </summary>
public sealed class BenchFulfillment(TaskHubWorkflowClient client, TimeProvider clock) : IFulfillmentProvider, IFulfillmentCanceller
{
    /// <summary>Bench orders are never cancelled; a cancellation would be stopped at once.</summary>
    public Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
        => Task.FromResult(new LocationCancelAnswer(LocationCancelAnswer.Cancelled));

    private readonly ConcurrentDictionary<string, long> firstDispatch = new(StringComparer.Ordinal);
    private readonly IWorkflowClient workflows = new Host.EngineWorkflowClient(client);
    private int dispatches;

    public int Dispatches => this.dispatches;

    /// <summary>When the order's first parcel was handed to the location (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), if it was.</summary>
    public long? FirstDispatchAt(string orderId) => this.firstDispatch.TryGetValue(orderId, out var at) ? at : null;

    /// <summary>Drops a finished order's hand-off time (long bench runs).</summary>
    public void Forget(string orderId) => this.firstDispatch.TryRemove(orderId, out _);

    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.dispatches);
        this.firstDispatch.TryAdd(dispatch.OrderId, System.Diagnostics.Stopwatch.GetTimestamp());
        // Raised the way the fulfillment events route raises it: to the parcel's child while it runs.
        await this.workflows.RaiseConfirmationAsync(
            dispatch.OrderId,
            new FulfillmentConfirmation(dispatch.FulfillmentId, FulfillmentConfirmation.Shipped, clock.GetUtcNow(), "bench"),
            cancellationToken).ConfigureAwait(false);
        return "bench-" + dispatch.FulfillmentId;
    }
}

/// <summary>Every bench customer is new: no prior orders, so fraud screening never holds a bench order.</summary>
public sealed class BenchRecentOrders : IRecentOrderStore
{
    public Task<Domain.Fraud.FraudHistory> ReadAsync(Domain.Fraud.FraudKeys keys, string orderId, string currency, DateTimeOffset since, CancellationToken cancellationToken = default)
        => Task.FromResult(new Domain.Fraud.FraudHistory(0, 0, 0, 0, 0, 0));

    public Task RecordOrderAsync(Domain.Fraud.FraudKeys keys, string orderId, Domain.Common.Money total, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordFailedPaymentAsync(Domain.Fraud.FraudKeys keys, string orderId, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
