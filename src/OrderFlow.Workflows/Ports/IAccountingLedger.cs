using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The accounting system that records revenue and tax.</summary>
public interface IAccountingLedger
{
    /// <summary>Posts the sale; the same reference never posts twice. Returns the ledger's entry id.</summary>
    Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Posts a refund (credit note / refund receipt); the same reference never posts twice. Returns the document id.</summary>
    Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Every document booked for one order (sales and refunds): what reconciliation compares against.</summary>
    Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default);
}
