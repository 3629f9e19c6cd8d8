using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Payments;

/// <summary>
/// Reconciliation's payment side, routed like <see cref="ChannelPaymentRouter"/>: Stripe references are read from
/// Stripe; a channel-held payment is not read yet (null: the report shows nothing captured for it) rather than sending
/// a Shopify GID to Stripe.
/// </summary>
public sealed class ChannelPaymentLedgerReader(IPaymentLedgerReader card) : IPaymentLedgerReader
{
    public Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default) =>
        ChannelPaymentReference.IsChannel(paymentReference)
            ? Task.FromResult<PaymentFacts?>(null)
            : card.GetPaymentFactsAsync(paymentReference, cancellationToken);
}
