using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IReturnStore"/> with the real store's rules: create is idempotent per return id, an update needs the row.</summary>
public sealed class FakeReturnStore(ChangeFeed feed) : IReturnStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ReturnRecord> returns = new(StringComparer.Ordinal);
    private readonly List<(string ReturnId, ReturnStatus Status)> history = [];

    /// <summary>The stored return (null when not recorded yet).</summary>
    public ReturnRecord? Get(string returnId)
    {
        lock (this.gate)
        {
            return this.returns.GetValueOrDefault(returnId);
        }
    }

    /// <summary>Every status the return was written with, in order (a repeated write shows twice).</summary>
    public IReadOnlyList<ReturnStatus> HistoryOf(string returnId)
    {
        lock (this.gate)
        {
            return [.. this.history.Where(h => h.ReturnId == returnId).Select(h => h.Status)];
        }
    }

    /// <summary>Stores a return as if an earlier workflow had recorded it.</summary>
    public void Seed(ReturnRecord record)
    {
        lock (this.gate)
        {
            this.returns[record.ReturnId] = record;
        }
    }

    public Task<bool> CreateAsync(ReturnRecord record, CancellationToken cancellationToken = default)
    {
        bool created;
        lock (this.gate)
        {
            created = this.returns.TryAdd(record.ReturnId, record);
            if (created)
            {
                this.history.Add((record.ReturnId, record.Status));
            }
        }

        feed.Publish();
        return Task.FromResult(created);
    }

    public Task<ReturnRecord?> GetAsync(string returnId, CancellationToken cancellationToken = default) => Task.FromResult(this.Get(returnId));

    public Task<IReadOnlyList<ReturnRecord>> ListForOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            IReadOnlyList<ReturnRecord> list = [.. this.returns.Values.Where(r => r.OrderId == orderId).OrderBy(r => r.RequestedAt)];
            return Task.FromResult(list);
        }
    }

    public Task UpdateAsync(ReturnUpdate update, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            var current = this.returns.GetValueOrDefault(update.ReturnId) ?? throw new InvalidOperationException($"Return {update.ReturnId} is not stored.");
            this.returns[update.ReturnId] = current.With(update, at);
            this.history.Add((update.ReturnId, update.Status));
        }

        feed.Publish();
        return Task.CompletedTask;
    }
}
