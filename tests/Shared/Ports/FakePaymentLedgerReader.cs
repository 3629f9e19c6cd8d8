using System.Collections.Concurrent;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IPaymentLedgerReader"/>: what the provider holds per payment reference (unknown: null).</summary>
public sealed class FakePaymentLedgerReader : IPaymentLedgerReader
{
    private readonly ConcurrentDictionary<string, PaymentFacts> facts = new(StringComparer.Ordinal);
    private int calls;

    public int Calls => Volatile.Read(ref this.calls);

    public void Set(string paymentReference, PaymentFacts payment) => this.facts[paymentReference] = payment;

    public Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.calls);
        return Task.FromResult(this.facts.GetValueOrDefault(paymentReference));
    }
}
