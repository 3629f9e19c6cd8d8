using Azure;
using Azure.Data.Tables;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Storage;

/// <summary>Used approval nonces in Azure Tables (partition "nonce", row key = nonce): insert-if-absent, so a replay conflicts.</summary>
public sealed class TableApprovalNonceStore(OrderFlowTables tables, TimeProvider clock) : IApprovalNonceStore
{
    internal const string Partition = "nonce";

    public async Task<bool> TryConsumeAsync(string nonce, string caseId, string usedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nonce);
        var table = await tables.GetAsync(TableNames.Approvals, cancellationToken);
        try
        {
            await table.AddEntityAsync(
                new TableEntity(Partition, TableKeys.Encode(nonce)) { ["CaseId"] = caseId, ["UsedBy"] = usedBy, ["UsedAt"] = clock.GetUtcNow() },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return false;
        }
    }
}
