using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Durable record of returns, one row per return, readable per order.</summary>
public interface IReturnStore
{
    /// <summary>Stores a new return (status Requested). Returns false when it already exists (idempotent).</summary>
    Task<bool> CreateAsync(ReturnRecord record, CancellationToken cancellationToken = default);

    Task<ReturnRecord?> GetAsync(string returnId, CancellationToken cancellationToken = default);

    /// <summary>Every return of the order, oldest first.</summary>
    Task<IReadOnlyList<ReturnRecord>> ListForOrderAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Applies the update (status, note, and the receipt or refund it carries); repeating one changes nothing.</summary>
    Task UpdateAsync(ReturnUpdate update, DateTimeOffset at, CancellationToken cancellationToken = default);
}
