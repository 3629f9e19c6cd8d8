using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Accounting;

/// <summary>
/// QuickBooks Online behind the accounting port. A sale becomes a SalesReceipt (one line per order line, a shipping line,
/// a discount line, the tax per jurisdiction); a refund becomes a RefundReceipt. Each document is written at most once per
/// reference, in two layers: before creating, the document's deterministic DocNumber (<see cref="QuickBooksKeys"/>) is
/// looked up with a query, so a retry after a lost answer finds it; and the create carries a requestid derived from the
/// reference, so QuickBooks replays its first answer to a resent request. 429 and 5xx are retried by the HttpClient's
/// resilience pipeline; a 401 refreshes the access token once; a Fault is thrown as <see cref="QuickBooksFaultException"/>.
/// </summary>
public sealed partial class QuickBooksAccountingLedger(
    IHttpClientFactory httpClients,
    QuickBooksTokenProvider tokens,
    IOptions<QuickBooksOptions> options,
    ILogger<QuickBooksAccountingLedger> logger) : IAccountingLedger
{
    public const string HttpClientName = "OrderFlow.QuickBooks";

    private const string SalesReceipt = "SalesReceipt";
    private const string RefundReceipt = "RefundReceipt";

    public async Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Reference);
        var docNumber = QuickBooksKeys.SaleDocNumber(entry.OrderId, entry.Reference);
        var body = SaleReceipt(entry, docNumber);
        var expected = entry.Revenue + entry.Shipping - entry.Discount + entry.Tax;
        return await PostOnceAsync(SalesReceipt, AccountingDocument.Sale, entry.OrderId, entry.Reference, docNumber, body, expected, cancellationToken);
    }

    /// <summary>
    /// A RefundReceipt, not a CreditMemo: OrderFlow's refunds pay money back (through the payment provider), and a
    /// RefundReceipt records that payout from <see cref="QuickBooksOptions.DepositAccountId"/>. A CreditMemo would only
    /// leave a credit on the customer's balance for a later invoice, which is not what happened.
    /// </summary>
    public async Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Reference);
        var docNumber = QuickBooksKeys.RefundDocNumber(entry.OrderId, entry.Reference);
        var body = RefundReceiptBody(entry, docNumber);
        return await PostOnceAsync(RefundReceipt, AccountingDocument.Refund, entry.OrderId, entry.Reference, docNumber, body, entry.Amount, cancellationToken);
    }

    public async Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var prefix = QuickBooksKeys.OrderPrefix(orderId);
        var documents = new List<AccountingDocument>();
        foreach (var (entity, kind) in new[] { (SalesReceipt, AccountingDocument.Sale), (RefundReceipt, AccountingDocument.Refund) })
        {
            foreach (var document in await QueryAsync(entity, $"DocNumber LIKE '{prefix}%'", cancellationToken))
            {
                var note = QuickBooksJson.String(document, "PrivateNote");
                var noteOrder = QuickBooksKeys.NoteValue(note, QuickBooksKeys.OrderLine);
                if (noteOrder is not null && noteOrder != orderId)
                {
                    continue; // Another order whose id shares the 50-bit prefix: practically never, but never booked to the wrong order.
                }

                documents.Add(Map(document, orderId, kind));
            }
        }

        return documents;
    }

    private async Task<string> PostOnceAsync(
        string entity, string kind, string orderId, string reference, string docNumber, JsonObject body, Money expected, CancellationToken cancellationToken)
    {
        var existing = (await QueryAsync(entity, $"DocNumber = '{docNumber}'", cancellationToken)).FirstOrDefault();
        if (existing.ValueKind == JsonValueKind.Object)
        {
            var id = QuickBooksJson.String(existing, "Id") ?? throw new InvalidDataException($"QuickBooks {entity} {docNumber} has no Id.");
            LogAlreadyPosted(orderId, entity, id, reference);
            return id;
        }

        var path = $"{entity.ToLowerInvariant()}?minorversion={MinorVersion}&requestid={QuickBooksKeys.RequestId(kind, reference)}";
        using var created = await SendAsync(HttpMethod.Post, path, body, $"create {entity}", cancellationToken);
        if (!QuickBooksJson.TryGet(created.RootElement, entity, out var document))
        {
            throw new InvalidDataException($"QuickBooks answered the {entity} create without a {entity}.");
        }

        var createdId = QuickBooksJson.String(document, "Id") ?? throw new InvalidDataException($"QuickBooks created {entity} {docNumber} without an Id.");
        var booked = Total(document, expected.Currency);
        if (booked != expected)
        {
            // The document exists, so throwing would only make the retry find it; the difference is for reconciliation to show.
            LogTotalDiffers(orderId, entity, createdId, expected.ToString(), booked.ToString());
        }

        LogPosted(orderId, entity, createdId, reference);
        return createdId;
    }

    private JsonObject SaleReceipt(SaleEntry entry, string docNumber)
    {
        var settings = options.Value;
        var currency = entry.Revenue.Currency;
        var lines = new JsonArray();
        if (entry.Lines is { Count: > 0 } saleLines)
        {
            if (saleLines.Sum(l => l.Total.MinorUnits) != entry.Revenue.MinorUnits || saleLines.Any(l => l.UnitPrice.Currency != currency))
            {
                throw new ArgumentException($"Order {entry.OrderId}: the sale's lines do not add up to its revenue {entry.Revenue}.", nameof(entry));
            }

            var items = settings.ItemIds;
            foreach (var line in saleLines)
            {
                lines.Add(ItemLine(items.GetValueOrDefault(line.Sku, settings.DefaultItemId), $"{line.Sku} {line.Title}", line.Quantity, line.UnitPrice, settings.LineTaxCodeId));
            }
        }
        else if (entry.Revenue.MinorUnits != 0)
        {
            lines.Add(ItemLine(settings.DefaultItemId, $"Order {entry.OrderNumber}", 1, entry.Revenue, settings.LineTaxCodeId));
        }

        if (entry.Shipping.MinorUnits != 0)
        {
            lines.Add(ItemLine(settings.ShippingItemId, "Shipping", 1, entry.Shipping, settings.LineTaxCodeId));
        }

        if (entry.Discount.MinorUnits != 0)
        {
            var discount = new JsonObject { ["PercentBased"] = false };
            if (!string.IsNullOrWhiteSpace(settings.DiscountAccountId))
            {
                discount["DiscountAccountRef"] = Ref(settings.DiscountAccountId);
            }

            lines.Add(new JsonObject
            {
                ["Amount"] = QuickBooksAmounts.ToDecimal(entry.Discount),
                ["DetailType"] = "DiscountLineDetail",
                ["DiscountLineDetail"] = discount,
            });
        }

        IReadOnlyList<TaxLine> taxLines = entry.TaxLines ?? (entry.Tax.MinorUnits == 0 ? [] : [new TaxLine(null, entry.Tax)]);
        if (taxLines.Sum(t => t.Amount.MinorUnits) != entry.Tax.MinorUnits)
        {
            throw new ArgumentException($"Order {entry.OrderId}: the sale's tax lines do not add up to its tax {entry.Tax}.", nameof(entry));
        }

        return Document(entry.OrderId, entry.OrderNumber, entry.Reference, docNumber, currency, lines, TaxDetail(entry.Tax, taxLines));
    }

    private JsonObject RefundReceiptBody(RefundEntry entry, string docNumber)
    {
        var settings = options.Value;
        var net = entry.Amount - entry.Tax;
        var lines = new JsonArray { ItemLine(settings.DefaultItemId, $"Refund: {entry.Reason}", 1, net, settings.LineTaxCodeId) };
        TaxLine[] taxLines = entry.Tax.MinorUnits == 0 ? [] : [new TaxLine(null, entry.Tax)];
        return Document(entry.OrderId, entry.OrderNumber, entry.Reference, docNumber, entry.Amount.Currency, lines, TaxDetail(entry.Tax, taxLines));
    }

    private JsonObject Document(string orderId, string orderNumber, string reference, string docNumber, string currency, JsonArray lines, JsonObject taxDetail)
    {
        var settings = options.Value;
        return new JsonObject
        {
            ["DocNumber"] = docNumber,
            ["PrivateNote"] = QuickBooksKeys.PrivateNote(orderId, orderNumber, reference),
            ["CustomerRef"] = Ref(settings.CustomerId),
            ["CurrencyRef"] = Ref(currency),
            ["DepositToAccountRef"] = Ref(settings.DepositAccountId),
            ["Line"] = lines,
            ["TxnTaxDetail"] = taxDetail,
        };
    }

    private JsonObject TaxDetail(Money total, IEnumerable<TaxLine> taxLines)
    {
        var settings = options.Value;
        var detail = new JsonObject { ["TotalTax"] = QuickBooksAmounts.ToDecimal(total) };
        if (!string.IsNullOrWhiteSpace(settings.TaxCodeId))
        {
            detail["TxnTaxCodeRef"] = Ref(settings.TaxCodeId);
        }

        var lines = new JsonArray();
        var rates = settings.TaxRateIds;
        foreach (var tax in taxLines)
        {
            // A TaxLine needs a TaxRate; tax of a jurisdiction without one is still in TotalTax.
            var rateId = tax.Jurisdiction is { } name && rates.TryGetValue(name, out var mapped) ? mapped : settings.DefaultTaxRateId;
            if (string.IsNullOrWhiteSpace(rateId))
            {
                continue;
            }

            var lineDetail = new JsonObject { ["TaxRateRef"] = Ref(rateId) };
            if (tax.RatePercent is { } rate)
            {
                lineDetail["PercentBased"] = true;
                lineDetail["TaxPercent"] = rate;
            }

            lines.Add(new JsonObject
            {
                ["Amount"] = QuickBooksAmounts.ToDecimal(tax.Amount),
                ["DetailType"] = "TaxLineDetail",
                ["TaxLineDetail"] = lineDetail,
            });
        }

        if (lines.Count > 0)
        {
            detail["TaxLine"] = lines;
        }

        return detail;
    }

    private static JsonObject ItemLine(string itemId, string description, int quantity, Money unitPrice, string taxCodeId)
    {
        var detail = new JsonObject
        {
            ["ItemRef"] = Ref(itemId),
            ["Qty"] = quantity,
            ["UnitPrice"] = QuickBooksAmounts.ToDecimal(unitPrice),
        };
        if (!string.IsNullOrWhiteSpace(taxCodeId))
        {
            detail["TaxCodeRef"] = Ref(taxCodeId);
        }

        // QuickBooks checks Amount = Qty x UnitPrice.
        return new JsonObject
        {
            ["Amount"] = QuickBooksAmounts.ToDecimal(unitPrice.Times(quantity)),
            ["Description"] = description,
            ["DetailType"] = "SalesItemLineDetail",
            ["SalesItemLineDetail"] = detail,
        };
    }

    private static JsonObject Ref(string value) => new() { ["value"] = value };

    private static AccountingDocument Map(JsonElement document, string orderId, string kind)
    {
        var currency = QuickBooksJson.TryGet(document, "CurrencyRef", out var currencyRef) ? QuickBooksJson.String(currencyRef, "value") : null;
        if (!Currencies.IsValidCode(currency))
        {
            throw new InvalidDataException($"QuickBooks document {QuickBooksJson.String(document, "Id")} of order {orderId} has no ISO currency.");
        }

        var tax = QuickBooksJson.TryGet(document, "TxnTaxDetail", out var taxDetail) ? QuickBooksJson.Decimal(taxDetail, "TotalTax") : 0m;
        var docNumber = QuickBooksJson.String(document, "DocNumber") ?? "";
        return new AccountingDocument(
            orderId,
            kind,
            QuickBooksKeys.NoteValue(QuickBooksJson.String(document, "PrivateNote"), QuickBooksKeys.ReferenceLine) ?? docNumber,
            QuickBooksJson.String(document, "Id") ?? "",
            Total(document, currency!),
            QuickBooksAmounts.ToMoney(tax, currency!));
    }

    private static Money Total(JsonElement document, string currency) => QuickBooksAmounts.ToMoney(QuickBooksJson.Decimal(document, "TotalAmt"), currency);

    private string MinorVersion => options.Value.MinorVersion.ToString(CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<JsonElement>> QueryAsync(string entity, string where, CancellationToken cancellationToken)
    {
        var query = $"select * from {entity} where {where}";
        var path = $"query?query={Uri.EscapeDataString(query)}&minorversion={MinorVersion}";
        using var answer = await SendAsync(HttpMethod.Get, path, null, $"query {entity}", cancellationToken);
        if (!QuickBooksJson.TryGet(answer.RootElement, "QueryResponse", out var response)
            || !QuickBooksJson.TryGet(response, entity, out var found)
            || found.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        // Cloned, because the document they come from is disposed here.
        return found.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>One API call: bearer token, and on a 401 one token refresh and one more try.</summary>
    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, JsonObject? body, string operation, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var uri = $"{settings.BaseUrl.TrimEnd('/')}/v3/company/{Uri.EscapeDataString(settings.RealmId)}/{path}";
        var client = httpClients.CreateClient(HttpClientName);
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                LogTokenRejected(operation);
                token = await tokens.RefreshAsync(token, cancellationToken);
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? json = null;
            try
            {
                json = string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                // An error page from a proxy: the status says enough.
            }

            // QuickBooks may report a fault with 200 as well as with 4xx/5xx.
            if (json is not null && QuickBooksFaultException.From(json.RootElement, response.StatusCode, operation) is { } fault)
            {
                json.Dispose();
                throw fault;
            }

            if (!response.IsSuccessStatusCode || json is null)
            {
                json?.Dispose();
                throw new HttpRequestException($"QuickBooks {operation} answered HTTP {(int)response.StatusCode} without a usable body.", null, response.StatusCode);
            }

            return json;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: QuickBooks {Entity} {DocumentId} created for {Reference}")]
    private partial void LogPosted(string orderId, string entity, string documentId, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: QuickBooks {Entity} {DocumentId} already holds {Reference}; not posted again")]
    private partial void LogAlreadyPosted(string orderId, string entity, string documentId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: QuickBooks {Entity} {DocumentId} totals {Booked}, OrderFlow expected {Expected}")]
    private partial void LogTotalDiffers(string orderId, string entity, string documentId, string expected, string booked);

    [LoggerMessage(Level = LogLevel.Information, Message = "QuickBooks rejected the access token on {Operation}; refreshing it once")]
    private partial void LogTokenRejected(string operation);
}
