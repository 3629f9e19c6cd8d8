using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IAccountingLedger"/>: a reference posts once; failures after posting can be injected.</summary>
public sealed class FakeAccountingLedger(ChangeFeed feed) : IAccountingLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, string> entryByReference = new(StringComparer.Ordinal);
    private readonly List<SaleEntry> posted = [];
    private readonly List<RefundEntry> refunds = [];
    private int calls;

    /// <summary>The post lands, then the call fails this many times (the acknowledgement is lost).</summary>
    public FaultPlan FailAfterPost { get; } = new();

    /// <summary>Refunds the ledger booked (one per reference).</summary>
    public IReadOnlyList<RefundEntry> Refunds
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.refunds];
            }
        }
    }

    public int Calls => Volatile.Read(ref this.calls);

    /// <summary>Sales the ledger booked (one per reference).</summary>
    public IReadOnlyList<SaleEntry> Posted
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.posted];
            }
        }
    }

    public Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default)
    {
        string id;
        lock (this.gate)
        {
            this.calls++;
            if (!this.entryByReference.TryGetValue(entry.Reference, out var existing))
            {
                existing = $"JE-{this.posted.Count + 1}";
                this.entryByReference[entry.Reference] = existing;
                this.posted.Add(entry);
            }

            id = existing;
        }

        feed.Publish();
        if (this.FailAfterPost.ShouldFail())
        {
            throw new TransientPortException($"Ledger timed out after booking {entry.Reference}.");
        }

        return Task.FromResult(id);
    }

    public Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default)
    {
        string id;
        lock (this.gate)
        {
            this.calls++;
            if (!this.entryByReference.TryGetValue(entry.Reference, out var existing))
            {
                existing = $"CN-{this.refunds.Count + 1}";
                this.entryByReference[entry.Reference] = existing;
                this.refunds.Add(entry);
            }

            id = existing;
        }

        feed.Publish();
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            IReadOnlyList<AccountingDocument> documents =
            [
                .. this.posted.Where(p => p.OrderId == orderId).Select(p => new AccountingDocument(
                    p.OrderId, AccountingDocument.Sale, p.Reference, this.entryByReference[p.Reference], p.Revenue + p.Tax + p.Shipping - p.Discount, p.Tax)),
                .. this.refunds.Where(r => r.OrderId == orderId).Select(r => new AccountingDocument(
                    r.OrderId, AccountingDocument.Refund, r.Reference, this.entryByReference[r.Reference], r.Amount, r.Tax)),
            ];
            return Task.FromResult(documents);
        }
    }
}
