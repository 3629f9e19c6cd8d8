using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The stock movement ledger. The SKU entity writes every operation's movements here before the operation counts as
/// done (a failed write fails the operation and rolls its state back), keyed by (SKU, sequence) so a re-run writes the
/// same rows. Also records low-stock crossings.
/// </summary>
public interface IStockJournal
{
    Task RecordAsync(StockJournalEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Every movement of a SKU in sequence order (audit, explain).</summary>
    Task<IReadOnlyList<StockLedgerLine>> ReadAsync(string sku, CancellationToken cancellationToken = default);
}

/// <summary>Low-stock alerts: the record for the operations API, and the email to purchasing (once per alert).</summary>
public interface IStockAlerts
{
    /// <summary>
    /// Emails the purchasing address unless this alert was emailed already; throws when the email could not be sent.
    /// Returns true when it sent now (and clears a recorded email failure).
    /// </summary>
    Task<bool> NotifyAsync(LowStockAlert alert, CancellationToken cancellationToken = default);

    /// <summary>Records on the alert that emailing purchasing failed (<paramref name="error"/> holds no customer data).</summary>
    Task RecordNotifyFailureAsync(LowStockAlert alert, string error, CancellationToken cancellationToken = default);

    /// <summary>Recent alerts, newest first.</summary>
    Task<IReadOnlyList<StockAlertRecord>> ListAsync(int max, CancellationToken cancellationToken = default);
}
