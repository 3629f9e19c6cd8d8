using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Handlers;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Infrastructure;

/// <summary>The shared intake start path (<see cref="OrderIntake"/>) over the given stores, for the intake handlers' tests.</summary>
public static class TestIntake
{
    public static OrderIntake Create(IDeliveryStore deliveries, IPaymentEventStore payments) =>
        new(
            deliveries,
            payments,
            new PaymentEventRelay(payments, NullLogger<PaymentEventRelay>.Instance),
            new NoPendingCancellations(),
            Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()),
            Microsoft.Extensions.Options.Options.Create(new InventoryOptions()),
            NullLogger<OrderIntake>.Instance);
}

/// <summary>No cancellation ever arrived before its order (the intake tests that are not about that).</summary>
internal sealed class NoPendingCancellations : IPendingCancellationStore
{
    public Task HoldAsync(string orderId, OrderFlow.Workflows.Contracts.CancelOrderRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<OrderFlow.Workflows.Contracts.CancelOrderRequest>> ListAsync(string orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrderFlow.Workflows.Contracts.CancelOrderRequest>>([]);

    public Task RemoveAsync(string orderId, string requestId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
