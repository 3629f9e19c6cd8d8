using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Cancellations that arrived before their order's workflow existed (a store's orders/cancelled overtaking its
/// orders/create). Held here, and raised to the workflow by intake as soon as it starts, so none is dropped.
/// </summary>
public interface IPendingCancellationStore
{
    /// <summary>Holds the request (once per request id).</summary>
    Task HoldAsync(string orderId, CancelOrderRequest request, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CancelOrderRequest>> ListAsync(string orderId, CancellationToken cancellationToken = default);

    Task RemoveAsync(string orderId, string requestId, CancellationToken cancellationToken = default);
}
