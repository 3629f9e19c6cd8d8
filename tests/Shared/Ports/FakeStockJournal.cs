using System.Collections.Concurrent;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory movement ledger and low-stock alerts. Rows are keyed by (SKU, sequence, index) like the Table ledger, so a
/// re-run operation overwrites its own rows. <see cref="FailureRate"/> makes that share of writes fail before writing
/// (a transient storage fault); the entity operation then fails and is retried by its caller.
/// </summary>
public sealed class FakeStockJournal(ChangeFeed feed) : IStockJournal, IStockAlerts
{
    private readonly ConcurrentDictionary<(string Sku, long Sequence, int Index), StockLedgerLine> rows = new();
    private readonly ConcurrentDictionary<(string Sku, long Sequence), (LowStockAlert Alert, bool Notified)> alerts = new();
    private readonly ConcurrentDictionary<(string Sku, long Sequence), string> notifyErrors = new();
    private int writes;
    private int failures;
    private volatile bool emailDown;

    /// <summary>Share of ledger writes that fail (0 to 1), decided by a fixed-seed sequence so runs are comparable.</summary>
    public double FailureRate { get; set; }

    public int Writes => Volatile.Read(ref this.writes);

    public int Failures => Volatile.Read(ref this.failures);

    public IReadOnlyList<StockLedgerLine> Lines(string sku) =>
        this.rows.Where(r => r.Key.Sku == sku).OrderBy(r => r.Key.Sequence).ThenBy(r => r.Key.Index).Select(r => r.Value).ToList();

    public IReadOnlyList<LowStockAlert> Alerts => this.alerts.Values.Select(a => a.Alert).OrderBy(a => a.Sequence).ToList();

    public int Notified => this.alerts.Values.Count(a => a.Notified);

    public Task RecordAsync(StockJournalEntry entry, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref this.writes);
        if (this.FailureRate > 0 && (n * 7919 % 1000) < this.FailureRate * 1000)
        {
            Interlocked.Increment(ref this.failures);
            throw new TransientPortException($"Ledger write {n} for {entry.Sku} timed out.");
        }

        if (entry.Alert is { } alert)
        {
            this.alerts.TryAdd((alert.Sku, alert.Sequence), (alert, false));
        }

        for (var i = 0; i < entry.Movements.Count; i++)
        {
            this.rows[(entry.Sku, entry.Sequence, i)] = new StockLedgerLine(entry.Movements[i], entry.At);
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StockLedgerLine>> ReadAsync(string sku, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.Lines(sku));

    /// <summary>While true every purchasing email throws (SMTP down).</summary>
    public bool EmailDown
    {
        get => this.emailDown;
        set => this.emailDown = value;
    }

    /// <summary>The email failure recorded on the alert, or null.</summary>
    public string? NotifyErrorOf(LowStockAlert alert) => this.notifyErrors.GetValueOrDefault((alert.Sku, alert.Sequence));

    public Task RecordNotifyFailureAsync(LowStockAlert alert, string error, CancellationToken cancellationToken = default)
    {
        this.notifyErrors[(alert.Sku, alert.Sequence)] = error;
        feed.Publish();
        return Task.CompletedTask;
    }

    public Task<bool> NotifyAsync(LowStockAlert alert, CancellationToken cancellationToken = default)
    {
        if (this.emailDown)
        {
            throw new TransientPortException($"SMTP connection refused while emailing purchasing about {alert.Sku}.");
        }

        this.notifyErrors.TryRemove((alert.Sku, alert.Sequence), out _);
        var key = (alert.Sku, alert.Sequence);
        var sent = this.alerts.TryGetValue(key, out var existing) && !existing.Notified;
        this.alerts[key] = (alert, true);
        feed.Publish();
        return Task.FromResult(sent || existing.Alert is null);
    }

    public Task<IReadOnlyList<StockAlertRecord>> ListAsync(int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StockAlertRecord>>(
            this.alerts.Values.Select(a => new StockAlertRecord(a.Alert.Sku, a.Alert.Sequence, a.Alert.Available, a.Alert.Threshold, DateTimeOffset.MinValue, null, this.NotifyErrorOf(a.Alert))).Take(max).ToList());
}
