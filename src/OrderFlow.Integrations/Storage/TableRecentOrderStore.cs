using Azure.Data.Tables;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// The "RecentOrders" table: partition "{email|ip|address}|{sha-256 hex}" (never the value), row "order|{order id}" or
/// "failed|{order id}" with At, TotalMinorUnits and Currency. Upserts, so a retried write counts an order once.
/// </summary>
public sealed class TableRecentOrderStore(OrderFlowTables tables) : IRecentOrderStore
{
    private const string OrderRow = "order|";
    private const string FailedRow = "failed|";

    public async Task<FraudHistory> ReadAsync(FraudKeys keys, string orderId, string currency, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.RecentOrders, cancellationToken);
        var own = TableKeys.Encode(orderId);

        var customer = await RowsAsync(table, EmailPartition(keys), own, cancellationToken);
        var ip = keys.Ip is null ? [] : await RowsAsync(table, IpPartition(keys), own, cancellationToken);
        var address = await RowsAsync(table, AddressPartition(keys), own, cancellationToken);

        var prior = customer.Where(r => r.Kind == OrderRow).ToList();
        var sameCurrency = prior.Where(r => string.Equals(r.Currency, currency, StringComparison.OrdinalIgnoreCase)).ToList();
        var average = sameCurrency.Count == 0 ? 0 : sameCurrency.Sum(r => r.TotalMinorUnits) / sameCurrency.Count;
        var failed = customer.Concat(ip).Where(r => r.Kind == FailedRow && r.At >= since).Select(r => r.OrderKey).Distinct(StringComparer.Ordinal).Count();
        return new FraudHistory(
            prior.Count,
            average,
            Recent(customer, since),
            Recent(ip, since),
            Recent(address, since),
            failed);
    }

    public async Task RecordOrderAsync(FraudKeys keys, string orderId, Money total, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.RecentOrders, cancellationToken);
        foreach (var partition in Partitions(keys, includeAddress: true))
        {
            await table.UpsertEntityAsync(
                new TableEntity(partition, OrderRow + TableKeys.Encode(orderId))
                {
                    ["At"] = at,
                    ["TotalMinorUnits"] = total.MinorUnits,
                    ["Currency"] = total.Currency,
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }
    }

    public async Task RecordFailedPaymentAsync(FraudKeys keys, string orderId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.RecentOrders, cancellationToken);
        foreach (var partition in Partitions(keys, includeAddress: false))
        {
            await table.UpsertEntityAsync(new TableEntity(partition, FailedRow + TableKeys.Encode(orderId)) { ["At"] = at }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    private static int Recent(IEnumerable<Row> rows, DateTimeOffset since) => rows.Count(r => r.Kind == OrderRow && r.At >= since);

    private static IEnumerable<string> Partitions(FraudKeys keys, bool includeAddress)
    {
        yield return EmailPartition(keys);
        if (keys.Ip is not null)
        {
            yield return IpPartition(keys);
        }

        if (includeAddress)
        {
            yield return AddressPartition(keys);
        }
    }

    private static string EmailPartition(FraudKeys keys) => "email|" + keys.Email;

    private static string IpPartition(FraudKeys keys) => "ip|" + keys.Ip;

    private static string AddressPartition(FraudKeys keys) => "address|" + keys.Address;

    private static async Task<List<Row>> RowsAsync(TableClient table, string partition, string ownOrderKey, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var kind = e.RowKey.StartsWith(OrderRow, StringComparison.Ordinal) ? OrderRow : e.RowKey.StartsWith(FailedRow, StringComparison.Ordinal) ? FailedRow : null;
            if (kind is null)
            {
                continue;
            }

            var orderKey = e.RowKey[kind.Length..];
            if (kind == OrderRow && string.Equals(orderKey, ownOrderKey, StringComparison.Ordinal))
            {
                continue;
            }

            rows.Add(new Row(kind, orderKey, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetInt64("TotalMinorUnits") ?? 0, e.GetString("Currency")));
        }

        return rows;
    }

    private sealed record Row(string Kind, string OrderKey, DateTimeOffset At, long TotalMinorUnits, string? Currency);
}
