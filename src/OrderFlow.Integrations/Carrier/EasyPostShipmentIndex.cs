using Azure;
using Azure.Data.Tables;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.Integrations.Carrier;

/// <summary>
/// Idempotency key -> EasyPost shipment id, in the CarrierShipments table (partition "easypost", row = the encoded key).
/// The first writer wins: a concurrent second attempt gets the first one's shipment id back.
/// </summary>
public sealed class EasyPostShipmentIndex(OrderFlowTables tables)
{
    private const string Partition = "easypost";

    public async Task<string?> FindAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var table = await tables.GetAsync(TableNames.CarrierShipments, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(idempotencyKey), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("ShipmentId") : null;
    }

    /// <summary>Every shipment recorded for a fulfillment (one per label purchase key), in key order.</summary>
    public async Task<IReadOnlyList<string>> FindForFulfillmentAsync(string orderId, string fulfillmentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(fulfillmentId);
        var table = await tables.GetAsync(TableNames.CarrierShipments, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and OrderId eq {orderId} and FulfillmentId eq {fulfillmentId}");
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.GetString("ShipmentId") is { Length: > 0 } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Records the shipment for the key unless one is recorded already; returns the recorded shipment id.</summary>
    public async Task<string> AddAsync(string idempotencyKey, string shipmentId, string orderId, string fulfillmentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(shipmentId);
        var table = await tables.GetAsync(TableNames.CarrierShipments, cancellationToken);
        try
        {
            await table.AddEntityAsync(
                new TableEntity(Partition, TableKeys.Encode(idempotencyKey))
                {
                    ["IdempotencyKey"] = idempotencyKey,
                    ["ShipmentId"] = shipmentId,
                    ["OrderId"] = orderId,
                    ["FulfillmentId"] = fulfillmentId,
                },
                cancellationToken);
            return shipmentId;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return await FindAsync(idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException($"Shipment index row for {idempotencyKey} vanished after a conflict.", ex);
        }
    }
}
