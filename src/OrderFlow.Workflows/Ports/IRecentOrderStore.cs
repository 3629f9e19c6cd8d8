using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The small store of recent orders that fraud screening's history and velocity signals read (not the workflow
/// history): one row per scored order and per failed payment under each hashed key (email = the customer, browser IP,
/// shipping address). Writes are idempotent per order, so a retried activity counts an order once.
/// </summary>
public interface IRecentOrderStore
{
    /// <summary>
    /// What is known around <paramref name="orderId"/> (itself excluded): the customer's earlier orders (all time; the
    /// average over those in <paramref name="currency"/>), and orders / failed payments at or after <paramref name="since"/>.
    /// </summary>
    Task<FraudHistory> ReadAsync(FraudKeys keys, string orderId, string currency, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Records a scored order under each of its keys.</summary>
    Task RecordOrderAsync(FraudKeys keys, string orderId, Money total, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records that the order's payment failed, under its email and IP keys (one row per order).</summary>
    Task RecordFailedPaymentAsync(FraudKeys keys, string orderId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
