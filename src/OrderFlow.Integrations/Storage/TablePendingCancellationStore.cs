using System.Text.Json;
using Azure.Data.Tables;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>Held cancellations in the "PendingCancellations" table: partition = order id, row = request id.</summary>
public sealed class TablePendingCancellationStore(OrderFlowTables tables) : IPendingCancellationStore
{
    public async Task HoldAsync(string orderId, CancelOrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(request);
        var table = await tables.GetAsync(TableNames.PendingCancellations, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(TableKeys.Encode(orderId), TableKeys.Encode(request.RequestId))
            {
                ["OrderId"] = orderId,
                ["RequestJson"] = JsonSerializer.Serialize(request, IntegrationJson.Options),
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<IReadOnlyList<CancelOrderRequest>> ListAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.PendingCancellations, cancellationToken);
        var held = new List<CancelOrderRequest>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(orderId)}"), cancellationToken: cancellationToken))
        {
            if (JsonSerializer.Deserialize<CancelOrderRequest>(e.GetString("RequestJson") ?? "null", IntegrationJson.Options) is { } request)
            {
                held.Add(request);
            }
        }

        return held;
    }

    public async Task RemoveAsync(string orderId, string requestId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.PendingCancellations, cancellationToken);
        await table.DeleteEntityAsync(TableKeys.Encode(orderId), TableKeys.Encode(requestId), cancellationToken: cancellationToken);
    }
}
