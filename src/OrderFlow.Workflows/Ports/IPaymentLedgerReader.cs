using OrderFlow.Domain.Reconciliation;

namespace OrderFlow.Workflows.Ports;

/// <summary>Reads what the payment provider holds for a payment (reconciliation's second side).</summary>
public interface IPaymentLedgerReader
{
    /// <summary>
    /// Captured and refunded so far for the payment reference (Stripe: payment intent id), in the payment's currency;
    /// null when the provider knows no such payment. Transient faults are thrown, so the durable retry policy retries.
    /// </summary>
    Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default);
}
