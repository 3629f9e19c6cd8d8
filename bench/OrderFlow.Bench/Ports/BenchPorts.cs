using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Bench.Ports;

// The bench runs over the same in-memory ports as the workflow tests (tests/Shared/Ports, see BenchHost), so the
// "orders" scenario measures the engine, the orchestrator and the inventory entity, not storage or HTTP. Only two
// behaviours are the bench's own: its locations ship at once, and every customer is new.

/// <summary>
/// The location "ships" at once: the hand-off raises the fulfillment's confirmation event back through the engine's
/// client, so every order runs to completion. (An event that arrives before the orchestrator waits for it is buffered.)
/// </summary>
public sealed class BenchFulfillment(TaskHubWorkflowClient client, TimeProvider clock) : IFulfillmentProvider, IFulfillmentCanceller
{
    /// <summary>Bench orders are never cancelled; a cancellation would be stopped at once.</summary>
    public Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
        => Task.FromResult(new LocationCancelAnswer(LocationCancelAnswer.Cancelled));

    private int dispatches;

    public int Dispatches => this.dispatches;

    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.dispatches);
        await client.RaiseEventAsync(
            dispatch.OrderId,
            FulfillmentConfirmation.EventName(dispatch.FulfillmentId),
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
