using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Returns in the "Returns" table (partition = order id, row key = return id): status and note as columns for a table
/// browser, the whole record as JSON. Only the return's own workflow writes a row, so an update is read-modify-replace
/// under the row's ETag.
/// </summary>
public sealed partial class TableReturnStore(OrderFlowTables tables, ILogger<TableReturnStore> logger) : IReturnStore
{
    private const string RecordColumn = "RecordJson";

    public async Task<bool> CreateAsync(ReturnRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await tables.GetAsync(TableNames.Returns, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(record), cancellationToken);
            LogRecorded(record.OrderId, record.ReturnId, record.Status);
            return true;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return false;
        }
    }

    public async Task<ReturnRecord?> GetAsync(string returnId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(returnId);
        if (ReturnWorkflowInput.OrderIdOf(returnId) is not { } orderId)
        {
            return null;
        }

        var table = await tables.GetAsync(TableNames.Returns, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(orderId), TableKeys.Encode(returnId), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is not null ? FromEntity(response.Value) : null;
    }

    public async Task<IReadOnlyList<ReturnRecord>> ListForOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Returns, cancellationToken);
        var partition = TableKeys.Encode(orderId);
        var records = new List<ReturnRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            records.Add(FromEntity(entity));
        }

        return [.. records.OrderBy(r => r.RequestedAt).ThenBy(r => r.ReturnId, StringComparer.Ordinal)];
    }

    public async Task UpdateAsync(ReturnUpdate update, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var table = await tables.GetAsync(TableNames.Returns, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(update.OrderId), TableKeys.Encode(update.ReturnId), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            throw new InvalidOperationException($"Return {update.ReturnId} of order {update.OrderId} is not stored.");
        }

        var next = FromEntity(response.Value).With(update, at);
        await table.UpdateEntityAsync(ToEntity(next), response.Value.ETag, TableUpdateMode.Replace, cancellationToken);
        LogRecorded(next.OrderId, next.ReturnId, next.Status);
    }

    private static TableEntity ToEntity(ReturnRecord record) => new(TableKeys.Encode(record.OrderId), TableKeys.Encode(record.ReturnId))
    {
        ["ReturnId"] = record.ReturnId,
        ["OrderId"] = record.OrderId,
        ["Status"] = record.Status.ToString(),
        ["Note"] = record.Note,
        ["RequestedAt"] = record.RequestedAt,
        ["UpdatedAt"] = record.UpdatedAt,
        [RecordColumn] = JsonSerializer.Serialize(record, IntegrationJson.Options),
    };

    private static ReturnRecord FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize<ReturnRecord>(entity.GetString(RecordColumn) ?? "null", IntegrationJson.Options)
        ?? throw new InvalidDataException($"Return row {entity.RowKey} has no stored data.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: return {ReturnId} is {Status}")]
    private partial void LogRecorded(string orderId, string returnId, ReturnStatus status);
}
