using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// Moves the money Shopify holds for a Shopify order through the GraphQL Admin API (with Channels:Shopify credentials):
/// a capture per shipment is <c>orderCapture</c> on the order's successful authorization (the shipment's amount in the
/// presentment currency; <c>finalCapture</c> on the last one when the authorization is multi-capturable), a refund is
/// <c>refundCreate</c> against the captured transactions (<c>@idempotent</c>, the customer not notified by Shopify), and
/// a refund before anything was captured voids the authorization (<c>transactionVoid</c>).
/// <para>
/// orderCapture takes no idempotency key, so each capture is recorded per OrderFlow idempotency key in the
/// ChannelCaptures table: the capture transactions that existed before the call, then the one that came back. A retry
/// after a lost answer adopts the new capture of that amount instead of capturing again. A refund carries its key in
/// its note, and a refund whose note names the key already is the earlier answer. Anything Shopify refuses (userErrors,
/// a failed transaction, nothing to capture or refund) is returned as a refusal with Shopify's reason, which opens the
/// workflow's PaymentCaptureFailed / RefundFailed case. Other channels' payments go to <paramref name="manual"/>.
/// </para>
/// </summary>
public sealed partial class ShopifyPaymentSettlement(
    ShopifyAdminClient admin,
    OrderFlowTables tables,
    ChannelAdminSettlement manual,
    IOptions<ChannelsOptions> options,
    ILogger<ShopifyPaymentSettlement> logger) : IChannelPaymentSettlement
{
    private const string Partition = "capture";
    private const string Success = "SUCCESS";

    public async Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Handles(request.PaymentReference))
        {
            return await manual.CaptureAsync(request, cancellationToken);
        }

        var table = await tables.GetAsync(TableNames.ChannelCaptures, cancellationToken);
        var row = TableKeys.Encode(request.IdempotencyKey);
        var recorded = (await table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken)) is { HasValue: true } hit ? hit.Value : null;
        if (recorded?.GetString("TransactionId") is { Length: > 0 } done)
        {
            LogCaptureRepeated(request.OrderId, request.IdempotencyKey);
            return new CaptureResult(true, request.Amount, done, null);
        }

        var payment = await ReadPaymentAsync(request.PaymentReference, cancellationToken);
        var authorization = payment.Transactions.FirstOrDefault(t => t.Kind == "AUTHORIZATION" && t.Status == Success);
        if (authorization is null)
        {
            return new CaptureResult(false, request.Amount, null, "shopify_no_authorization: the Shopify order has no successful authorization to capture (it may be paid already, voided or expired); check the order's payment in the Shopify admin.");
        }

        var captures = payment.Transactions.Where(t => t.Kind == "CAPTURE" && t.Status == Success && t.ParentId == authorization.Id).ToList();
        if (recorded is not null)
        {
            // A capture was sent under this key and its answer was lost: a new capture of this amount is that one.
            var known = (recorded.GetString("KnownCaptures") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (captures.FirstOrDefault(c => !known.Contains(c.Id, StringComparer.Ordinal) && c.Amount == request.Amount) is { } adopted)
            {
                await RecordAsync(table, row, adopted.Id, cancellationToken);
                LogCaptureAdopted(request.OrderId, request.IdempotencyKey);
                return new CaptureResult(true, request.Amount, adopted.Id, null);
            }
        }
        else
        {
            await table.UpsertEntityAsync(
                new TableEntity(Partition, row) { ["OrderId"] = request.OrderId, ["KnownCaptures"] = string.Join(",", captures.Select(c => c.Id)) },
                TableUpdateMode.Replace,
                cancellationToken);
        }

        var input = new Dictionary<string, object?>
        {
            ["id"] = request.PaymentReference,
            ["parentTransactionId"] = authorization.Id,
            ["amount"] = Currencies.ToDecimal(request.Amount).ToString(CultureInfo.InvariantCulture),
            ["currency"] = request.Amount.Currency,
        };
        if (authorization.MultiCapturable)
        {
            // Only multi-capturable (Shopify Payments, Plus) authorizations take it; true voids what is left after this one.
            input["finalCapture"] = request.FinalCapture;
        }

        var data = await admin.PostAsync(
            "orderCapture",
            """
            mutation OrderFlowCapture($input: OrderCaptureInput!) {
              orderCapture(input: $input) {
                transaction { id kind status }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?> { ["input"] = input },
            cancellationToken,
            onlyRetryRefused: true);
        var result = data.GetProperty("orderCapture");
        if (UserErrors(result) is { } refused)
        {
            await ForgetAsync(table, row, cancellationToken);
            LogRefused(request.OrderId, "capture", refused);
            return new CaptureResult(false, request.Amount, null, $"shopify_capture_refused: {refused}");
        }

        var transaction = result.GetProperty("transaction");
        var id = ShopifyGraphQl.String(transaction, "id") ?? string.Empty;
        var status = ShopifyGraphQl.String(transaction, "status");
        if (status is not (Success or "PENDING"))
        {
            await ForgetAsync(table, row, cancellationToken);
            LogRefused(request.OrderId, "capture", status ?? "no status");
            return new CaptureResult(false, request.Amount, id, $"shopify_capture_{status?.ToLowerInvariant() ?? "unknown"}: Shopify answered the capture with status {status}.");
        }

        await RecordAsync(table, row, id, cancellationToken);
        LogCaptured(request.OrderId, request.Amount.ToString(), request.FinalCapture);
        return new CaptureResult(true, request.Amount, id, null);
    }

    public async Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Handles(request.PaymentReference))
        {
            return await manual.RefundAsync(request, cancellationToken);
        }

        var payment = await ReadPaymentAsync(request.PaymentReference, cancellationToken);
        var marker = NoteMarker(request.IdempotencyKey);
        if (payment.Refunds.FirstOrDefault(r => r.Note?.Contains(marker, StringComparison.Ordinal) == true) is { } earlier)
        {
            LogRefundRepeated(request.OrderId, request.IdempotencyKey);
            return new RefundResult(true, request.Amount, earlier.Id, null);
        }

        var paid = payment.Transactions.Where(t => t.Kind is "CAPTURE" or "SALE" && t.Status == Success).ToList();
        if (paid.Count == 0)
        {
            return await VoidAsync(request, payment, cancellationToken);
        }

        // Spread the amount over the captured transactions, newest first, each up to what it has not refunded yet.
        var refunded = payment.Transactions.Where(t => t.Kind == "REFUND" && t.Status == Success && t.ParentId is not null)
            .GroupBy(t => t.ParentId!)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Amount.MinorUnits), StringComparer.Ordinal);
        var left = request.Amount.MinorUnits;
        var parts = new List<object>();
        foreach (var capture in paid.AsEnumerable().Reverse())
        {
            var refundable = capture.Amount.MinorUnits - refunded.GetValueOrDefault(capture.Id);
            var part = Math.Min(left, refundable);
            if (part <= 0)
            {
                continue;
            }

            parts.Add(new
            {
                orderId = request.PaymentReference,
                parentId = capture.Id,
                amount = Currencies.ToDecimal(new Money(part, request.Amount.Currency)).ToString(CultureInfo.InvariantCulture),
                gateway = capture.Gateway,
                kind = "REFUND",
            });
            left -= part;
            if (left == 0)
            {
                break;
            }
        }

        if (left > 0)
        {
            return new RefundResult(false, request.Amount, null, $"shopify_refund_exceeds_captured: {request.Amount} is more than the order's captured payments still refundable in Shopify.");
        }

        var data = await admin.PostAsync(
            "refundCreate",
            $$"""
            mutation OrderFlowRefund($input: RefundInput!) {
              refundCreate(input: $input) @idempotent(key: "{{ShopifyKey(request.IdempotencyKey)}}") {
                refund { id }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?>
            {
                ["input"] = new
                {
                    orderId = request.PaymentReference,
                    note = $"{request.Reason} {marker}",
                    notify = false,
                    transactions = parts,
                },
            },
            cancellationToken);
        var result = data.GetProperty("refundCreate");
        if (UserErrors(result) is { } refused)
        {
            LogRefused(request.OrderId, "refund", refused);
            return new RefundResult(false, request.Amount, null, $"shopify_refund_refused: {refused}");
        }

        LogRefunded(request.OrderId, request.Amount.ToString());
        return new RefundResult(true, request.Amount, ShopifyGraphQl.String(result.GetProperty("refund"), "id"), null);
    }

    /// <summary>Nothing was captured: release the authorization instead (once; a repeat finds the void already there).</summary>
    private async Task<RefundResult> VoidAsync(RefundPaymentRequest request, ShopifyPayment payment, CancellationToken cancellationToken)
    {
        var authorization = payment.Transactions.FirstOrDefault(t => t.Kind == "AUTHORIZATION" && t.Status == Success);
        if (authorization is null)
        {
            return new RefundResult(false, request.Amount, null, "shopify_nothing_to_refund: the Shopify order has no captured payment and no open authorization.");
        }

        if (payment.Transactions.FirstOrDefault(t => t.Kind == "VOID" && t.Status == Success && t.ParentId == authorization.Id) is { } voided)
        {
            return new RefundResult(true, request.Amount, voided.Id, null, Voided: true);
        }

        var data = await admin.PostAsync(
            "transactionVoid",
            """
            mutation OrderFlowVoid($parentTransactionId: ID!) {
              transactionVoid(parentTransactionId: $parentTransactionId) {
                transaction { id kind status }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?> { ["parentTransactionId"] = authorization.Id },
            cancellationToken);
        var result = data.GetProperty("transactionVoid");
        if (UserErrors(result) is { } refused)
        {
            LogRefused(request.OrderId, "void", refused);
            return new RefundResult(false, request.Amount, null, $"shopify_void_refused: {refused}");
        }

        LogVoided(request.OrderId);
        return new RefundResult(true, request.Amount, ShopifyGraphQl.String(result.GetProperty("transaction"), "id"), null, Voided: true);
    }

    private bool Handles(string reference) => ChannelPaymentReference.IsShopify(reference) && options.Value.Shopify.Enabled;

    private async Task<ShopifyPayment> ReadPaymentAsync(string orderGid, CancellationToken cancellationToken)
    {
        var data = await admin.PostAsync(
            "order payment",
            """
            query OrderFlowPayment($id: ID!) {
              order(id: $id) {
                id
                transactions(first: 100) {
                  id kind status gateway multiCapturable
                  parentTransaction { id }
                  amountSet { presentmentMoney { amount currencyCode } }
                }
                refunds(first: 100) { id note }
              }
            }
            """,
            new Dictionary<string, object?> { ["id"] = orderGid },
            cancellationToken);
        if (!data.TryGetProperty("order", out var order) || order.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"Shopify has no order {orderGid} (deleted, or the token's store is another one).");
        }

        var transactions = order.GetProperty("transactions").EnumerateArray().Select(t =>
        {
            var money = t.GetProperty("amountSet").GetProperty("presentmentMoney");
            var currency = ShopifyGraphQl.String(money, "currencyCode") ?? string.Empty;
            if (!Currencies.TryParseMinorUnits(ShopifyGraphQl.String(money, "amount"), currency, out var minor))
            {
                throw new InvalidDataException($"Shopify transaction amount of {orderGid} is not an exact {currency} amount.");
            }

            return new ShopifyTransaction(
                ShopifyGraphQl.String(t, "id") ?? string.Empty,
                ShopifyGraphQl.String(t, "kind") ?? string.Empty,
                ShopifyGraphQl.String(t, "status") ?? string.Empty,
                ShopifyGraphQl.String(t, "gateway") ?? string.Empty,
                t.TryGetProperty("multiCapturable", out var multi) && multi.ValueKind == JsonValueKind.True,
                t.TryGetProperty("parentTransaction", out var parent) && parent.ValueKind == JsonValueKind.Object ? ShopifyGraphQl.String(parent, "id") : null,
                new Money(minor, currency));
        }).ToList();
        var refunds = order.TryGetProperty("refunds", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => new ShopifyRefund(ShopifyGraphQl.String(x, "id") ?? string.Empty, ShopifyGraphQl.String(x, "note"))).ToList()
            : [];
        return new ShopifyPayment(transactions, refunds);
    }

    private static string? UserErrors(JsonElement payload) =>
        payload.TryGetProperty("userErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            ? string.Join("; ", errors.EnumerateArray().Select(e => ShopifyGraphQl.String(e, "message") ?? e.GetRawText()))
            : null;

    private static Task RecordAsync(TableClient table, string row, string transactionId, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(new TableEntity(Partition, row) { ["TransactionId"] = transactionId }, TableUpdateMode.Merge, cancellationToken);

    private static async Task ForgetAsync(TableClient table, string row, CancellationToken cancellationToken)
    {
        // Nothing was captured: a retried step (RetryStep on the case) starts afresh.
        try
        {
            await table.DeleteEntityAsync(Partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsNotFound(ex))
        {
        }
    }

    /// <summary>What the refund's note carries so a repeat can find it: the OrderFlow idempotency key.</summary>
    private static string NoteMarker(string idempotencyKey) => $"[orderflow:{idempotencyKey}]";

    /// <summary>A UUID derived from the OrderFlow key (Shopify recommends UUIDs; the same key always gives the same one).</summary>
    internal static string ShopifyKey(string idempotencyKey) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))[..16]).ToString();

    private sealed record ShopifyPayment(IReadOnlyList<ShopifyTransaction> Transactions, IReadOnlyList<ShopifyRefund> Refunds);

    private sealed record ShopifyTransaction(string Id, string Kind, string Status, string Gateway, bool MultiCapturable, string? ParentId, Money Amount);

    private sealed record ShopifyRefund(string Id, string? Note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: captured {Amount} through Shopify (final {Final})")]
    private partial void LogCaptured(string orderId, string amount, bool final);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: capture {Key} was already made through Shopify")]
    private partial void LogCaptureRepeated(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: capture {Key} had lost its answer; Shopify shows it made, not captured again")]
    private partial void LogCaptureAdopted(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: refunded {Amount} through Shopify")]
    private partial void LogRefunded(string orderId, string amount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: refund {Key} was already made through Shopify")]
    private partial void LogRefundRepeated(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Shopify authorization voided (nothing was captured)")]
    private partial void LogVoided(string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: Shopify refused the {Operation}: {Reason}")]
    private partial void LogRefused(string orderId, string operation, string reason);
}
