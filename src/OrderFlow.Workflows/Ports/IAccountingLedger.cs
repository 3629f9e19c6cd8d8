using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The accounting system that records revenue and tax.</summary>
public interface IAccountingLedger
{
    /// <summary>Posts the sale; the same reference never posts twice. Returns the ledger's entry id.</summary>
    Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default);
}
