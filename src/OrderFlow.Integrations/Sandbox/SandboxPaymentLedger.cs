using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX payment book: what the sandbox gateway collected, in the "SandboxPayments" table (partition = payment
/// reference). Row "charge" is a payment captured in full when it was verified; rows "capture|{key}" and "refund|{key}"
/// are captures and refunds, once per idempotency key; "void|{key}" is an authorization released with nothing collected
/// (neither collected nor refunded). It answers reconciliation like a provider's records would.
/// </summary>
public sealed partial class SandboxPaymentLedger(OrderFlowTables tables, TimeProvider clock, ILogger<SandboxPaymentLedger> logger) : IPaymentLedgerReader
{
    internal const string ChargeRow = "charge";
    internal const string CapturePrefix = "capture|";
    internal const string RefundPrefix = "refund|";
    internal const string VoidPrefix = "void|";

    /// <summary>A payment captured in full at verification (automatic capture); re-recording replaces the same row.</summary>
    public async Task RecordChargeAsync(string paymentReference, Money amount, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SandboxPayments, cancellationToken);
        await table.UpsertEntityAsync(Row(paymentReference, ChargeRow, amount, null), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Records a capture once per idempotency key; returns the amount and reference of the first one.</summary>
    public Task<(Money Amount, string ProviderReference)> RecordCaptureAsync(string paymentReference, string idempotencyKey, Money amount, CancellationToken cancellationToken = default) =>
        AddOnceAsync(paymentReference, CapturePrefix, idempotencyKey, amount, $"sbx_ch_{SandboxHash.Hex(idempotencyKey, 16)}", cancellationToken);

    /// <summary>True when a capture under another idempotency key was recorded for the payment (its first capture came earlier).</summary>
    public async Task<bool> HasOtherCaptureAsync(string paymentReference, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        var table = await tables.GetAsync(TableNames.SandboxPayments, cancellationToken);
        var own = CapturePrefix + TableKeys.Encode(idempotencyKey);
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(paymentReference)}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith(CapturePrefix, StringComparison.Ordinal) && e.RowKey != own)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records a refund once per idempotency key; returns the amount and reference of the first one.</summary>
    public Task<(Money Amount, string ProviderReference)> RecordRefundAsync(string paymentReference, string idempotencyKey, Money amount, CancellationToken cancellationToken = default) =>
        AddOnceAsync(paymentReference, RefundPrefix, idempotencyKey, amount, $"sbx_re_{SandboxHash.Hex(idempotencyKey, 16)}", cancellationToken);

    /// <summary>
    /// A refund of a payment nothing was collected on (no charge, no capture: an authorization) is a void, as at Stripe:
    /// recorded once per key as "void|{key}" and counted neither as collected nor as refunded. Otherwise a refund.
    /// A key recorded before keeps its first answer.
    /// </summary>
    public async Task<(Money Amount, string ProviderReference, bool Voided)> RecordRefundOrVoidAsync(
        string paymentReference, string idempotencyKey, Money amount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var table = await tables.GetAsync(TableNames.SandboxPayments, cancellationToken);
        var partition = TableKeys.Encode(paymentReference);
        var voidRow = VoidPrefix + TableKeys.Encode(idempotencyKey);
        var refundRow = RefundPrefix + TableKeys.Encode(idempotencyKey);
        bool collected = false, voidedBefore = false, refundedBefore = false;
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            voidedBefore |= e.RowKey == voidRow;
            refundedBefore |= e.RowKey == refundRow;
            collected |= e.RowKey == ChargeRow || e.RowKey.StartsWith(CapturePrefix, StringComparison.Ordinal);
        }

        // A retried key keeps its first answer, whatever was collected since.
        if (voidedBefore || (!refundedBefore && !collected))
        {
            var (voided, reference) = await this.AddOnceAsync(paymentReference, VoidPrefix, idempotencyKey, amount, VoidReference(idempotencyKey), cancellationToken);
            return (voided, reference, true);
        }

        var (refunded, refundReference) = await this.RecordRefundAsync(paymentReference, idempotencyKey, amount, cancellationToken);
        return (refunded, refundReference, false);
    }

    public async Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        var table = await tables.GetAsync(TableNames.SandboxPayments, cancellationToken);
        long captured = 0, refunded = 0;
        string? currency = null;
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(paymentReference)}"), cancellationToken: cancellationToken))
        {
            currency ??= e.GetString("Currency");
            var amount = e.GetInt64("AmountMinor") ?? 0;
            if (e.RowKey.StartsWith(VoidPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (e.RowKey.StartsWith(RefundPrefix, StringComparison.Ordinal))
            {
                refunded += amount;
            }
            else
            {
                captured += amount;
            }
        }

        return currency is null ? null : new PaymentFacts(new Money(captured, currency), new Money(refunded, currency));
    }

    private static string VoidReference(string idempotencyKey) => $"sbx_void_{SandboxHash.Hex(idempotencyKey, 16)}";

    private async Task<(Money Amount, string ProviderReference)> AddOnceAsync(
        string paymentReference, string prefix, string idempotencyKey, Money amount, string providerReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var table = await tables.GetAsync(TableNames.SandboxPayments, cancellationToken);
        var entity = Row(paymentReference, prefix + TableKeys.Encode(idempotencyKey), amount, providerReference);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return (amount, providerReference);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            // The same key again (a retried activity): the first record stands, like a provider's idempotency.
            var existing = (await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken)).Value;
            LogReplayed(paymentReference, idempotencyKey);
            return (new Money(existing.GetInt64("AmountMinor") ?? 0, existing.GetString("Currency") ?? amount.Currency), existing.GetString("ProviderReference") ?? providerReference);
        }
    }

    private TableEntity Row(string paymentReference, string rowKey, Money amount, string? providerReference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        return new TableEntity(TableKeys.Encode(paymentReference), rowKey)
        {
            ["PaymentReference"] = paymentReference,
            ["AmountMinor"] = amount.MinorUnits,
            ["Currency"] = amount.Currency,
            ["ProviderReference"] = providerReference,
            ["RecordedAt"] = clock.GetUtcNow(),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox payment {PaymentReference}: {IdempotencyKey} was already recorded")]
    private partial void LogReplayed(string paymentReference, string idempotencyKey);
}
