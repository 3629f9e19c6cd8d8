using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Tests.Fakes;

/// <summary>In-memory <see cref="IAccountingLedger"/>: a reference posts once; failures after posting can be injected.</summary>
public sealed class FakeAccountingLedger(ChangeFeed feed) : IAccountingLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, string> entryByReference = new(StringComparer.Ordinal);
    private readonly List<SaleEntry> posted = [];
    private int calls;

    /// <summary>The post lands, then the call fails this many times (the acknowledgement is lost).</summary>
    public FaultPlan FailAfterPost { get; } = new();

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
}
