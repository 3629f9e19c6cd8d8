using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Accounting;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using WireMock.Logging;

namespace OrderFlow.Integrations.Tests.Accounting;

/// <summary>
/// The QuickBooks Online ledger against a WireMock company: what a SalesReceipt and a RefundReceipt carry, that a retried
/// sync finds its document instead of posting a second one, throttling and token expiry, listing, and faults.
/// </summary>
public sealed class QuickBooksAccountingLedgerTests(StorageFixture storage) : IClassFixture<StorageFixture>, IDisposable
{
    private const string InitialRefreshToken = "rt-initial-0123456789";

    private readonly QuickBooksStub qbo = new($"9130{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}");
    private readonly string orderId = $"shopify-{Guid.NewGuid():N}";

    public void Dispose() => qbo.Dispose();

    [Fact]
    public async Task PostSaleAsync_NewSale_PostsOneSalesReceiptWithItemShippingDiscountAndTaxLines()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        qbo.Query("SalesReceipt").RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt"));
        var docNumber = QuickBooksKeys.SaleDocNumber(orderId, Reference);
        qbo.Create("SalesReceipt").RespondWith(QuickBooksStub.Created("SalesReceipt", QuickBooksStub.Document("142", docNumber, Note, 49.51m, 3.52m)));
        using var provider = Build();

        var id = await Ledger(provider).PostSaleAsync(Sale());

        Assert.Equal("142", id);
        var post = Assert.Single(qbo.Posts("salesreceipt"));
        Assert.Equal("Bearer at-1", post.RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal("75", post.RequestMessage.Query!["minorversion"].Single());
        Assert.Equal(QuickBooksKeys.RequestId(AccountingDocument.Sale, Reference), post.RequestMessage.Query!["requestid"].Single());
        Assert.True(QuickBooksKeys.RequestId(AccountingDocument.Sale, Reference).Length <= QuickBooksKeys.MaxRequestIdLength);

        var body = JsonNode.Parse(post.RequestMessage.Body!)!;
        Assert.Equal(docNumber, (string?)body["DocNumber"]);
        Assert.True(docNumber.Length <= QuickBooksKeys.MaxDocNumberLength);
        Assert.Contains("#1001", (string?)body["PrivateNote"], StringComparison.Ordinal);
        Assert.Contains(Reference, (string?)body["PrivateNote"], StringComparison.Ordinal);
        Assert.Equal("58", (string?)body["CustomerRef"]!["value"]);
        Assert.Equal("USD", (string?)body["CurrencyRef"]!["value"]);
        Assert.Equal("35", (string?)body["DepositToAccountRef"]!["value"]);

        var lines = body["Line"]!.AsArray();
        Assert.Equal(4, lines.Count);
        AssertItemLine(lines[0]!, "11", 2, 12.00m, 24.00m);   // MUG-01 is mapped
        AssertItemLine(lines[1]!, "1", 1, 20.00m, 20.00m);    // TEE-02 falls back to the default item
        AssertItemLine(lines[2]!, "SHIPPING_ITEM_ID", 1, 6.99m, 6.99m);
        Assert.Equal("DiscountLineDetail", (string?)lines[3]!["DetailType"]);
        Assert.Equal(5.00m, QuickBooksStub.Amount(lines[3]!["Amount"]));
        Assert.False((bool)lines[3]!["DiscountLineDetail"]!["PercentBased"]!);
        Assert.Equal("TAX", (string?)lines[0]!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]);

        var tax = body["TxnTaxDetail"]!;
        Assert.Equal(3.52m, QuickBooksStub.Amount(tax["TotalTax"]));
        var taxLines = tax["TaxLine"]!.AsArray();
        Assert.Equal(["7", "8"], taxLines.Select(t => (string?)t!["TaxLineDetail"]!["TaxRateRef"]!["value"]));
        Assert.Equal([1.76m, 1.76m], taxLines.Select(t => QuickBooksStub.Amount(t!["Amount"])));
        Assert.Equal(4.0m, QuickBooksStub.Amount(taxLines[0]!["TaxLineDetail"]!["TaxPercent"]));
        Assert.Equal("TaxLineDetail", (string?)taxLines[0]!["DetailType"]);

        var token = Assert.Single(qbo.TokenCalls);
        Assert.Equal("Basic " + Convert.ToBase64String("client-1:client-secret-0123456789"u8.ToArray()), token.RequestMessage.Headers!["Authorization"].Single());
        Assert.Contains("grant_type=refresh_token", token.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains($"refresh_token={InitialRefreshToken}", token.RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSaleAsync_RetriedAfterTheAnswerWasLost_FindsTheReceiptAndPostsNoSecond()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        var docNumber = QuickBooksKeys.SaleDocNumber(orderId, Reference);
        var stored = QuickBooksStub.Document("142", docNumber, Note, 49.51m, 3.52m);
        qbo.Query("SalesReceipt").InScenario("sale").RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt"));
        qbo.Create("SalesReceipt").InScenario("sale").WillSetStateTo("posted").RespondWith(QuickBooksStub.Created("SalesReceipt", stored));
        qbo.Query("SalesReceipt").InScenario("sale").WhenStateIs("posted").RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt", stored));
        using var provider = Build();
        var ledger = Ledger(provider);

        var first = await ledger.PostSaleAsync(Sale());
        var retried = await ledger.PostSaleAsync(Sale());

        Assert.Equal(("142", "142"), (first, retried));
        Assert.Single(qbo.Posts("salesreceipt"));
        var lookup = qbo.Queries.Last().RequestMessage.Query!["query"].Single();
        Assert.Equal($"select * from SalesReceipt where DocNumber = '{docNumber}'", lookup);
    }

    [Fact]
    public async Task PostSaleAsync_ThrottledWith429ThenAccepted_RetriesWithTheSameRequestIdAndBody()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        qbo.Query("SalesReceipt").RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt"));
        var document = QuickBooksStub.Document("142", QuickBooksKeys.SaleDocNumber(orderId, Reference), Note, 49.51m, 3.52m);
        qbo.Create("SalesReceipt").InScenario("throttle").WillSetStateTo("throttled once")
            .RespondWith(QuickBooksStub.Fault(429, "ThrottleExceeded", "003001", "ThrottleExceeded", "The request limit was reached."));
        qbo.Create("SalesReceipt").InScenario("throttle").WhenStateIs("throttled once").RespondWith(QuickBooksStub.Created("SalesReceipt", document));
        using var provider = Build();

        var id = await Ledger(provider).PostSaleAsync(Sale());

        Assert.Equal("142", id);
        var posts = qbo.Posts("salesreceipt").ToList();
        Assert.Equal([429, 200], posts.Select(p => (int)p.ResponseMessage.StatusCode!));
        Assert.Single(posts.Select(p => p.RequestMessage.Query!["requestid"].Single()).Distinct());
        Assert.Single(posts.Select(p => p.RequestMessage.Body).Distinct());
    }

    [Fact]
    public async Task ListDocumentsAsync_AccessTokenRejected_RefreshesOnceRetriesAndPersistsTheRotatedRefreshToken()
    {
        // Intuit issues a new access token and rotates the refresh token on each exchange.
        qbo.GivenToken(InitialRefreshToken, "at-1", "rt-2");
        qbo.GivenToken("rt-2", "at-2", "rt-3");
        qbo.GivenToken("rt-3", "at-2", "rt-3");
        qbo.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"{qbo.CompanyPath}/query").UsingGet().WithHeader("Authorization", "Bearer at-1"))
            .RespondWith(QuickBooksStub.Json(401, """{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Token expired","code":"3200"}],"type":"AUTHENTICATION"},"time":"2026-11-26T10:00:00.000-08:00"}"""));
        qbo.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"{qbo.CompanyPath}/query").UsingGet().WithHeader("Authorization", "Bearer at-2"))
            .RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt"));
        using var provider = Build();

        var documents = await Ledger(provider).ListDocumentsAsync(orderId);

        Assert.Empty(documents);
        var tokenCalls = qbo.TokenCalls.ToList();
        Assert.Equal(2, tokenCalls.Count);
        Assert.Contains($"refresh_token={InitialRefreshToken}", tokenCalls[0].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains("refresh_token=rt-2", tokenCalls[1].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal(1, qbo.Queries.Count(q => (int)q.ResponseMessage.StatusCode! == 401));

        var table = await storage.Tables.GetAsync(TableNames.OAuthTokens);
        var row = await table.GetEntityAsync<TableEntity>(QuickBooksRefreshTokenStore.PartitionKey, qbo.RealmId);
        Assert.Equal("rt-3", row.Value.GetString("RefreshToken"));

        // A restarted host starts from the newest refresh token, not the configured one Intuit has since rotated.
        using var restarted = Build();
        await Ledger(restarted).ListDocumentsAsync(orderId);
        Assert.Equal(3, qbo.TokenCalls.Count());
        Assert.Single(qbo.TokenCalls, t => t.RequestMessage.Body!.EndsWith("refresh_token=rt-3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostRefundAsync_NewRefund_PostsARefundReceiptPaidFromTheDepositAccount()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        qbo.Query("RefundReceipt").RespondWith(QuickBooksStub.QueryAnswer("RefundReceipt"));
        const string refundReference = "refund-1";
        var docNumber = QuickBooksKeys.RefundDocNumber(orderId, refundReference);
        qbo.Create("RefundReceipt").RespondWith(QuickBooksStub.Created("RefundReceipt", QuickBooksStub.Document("77", docNumber, Note, 11.88m, 0.88m)));
        using var provider = Build();

        var id = await Ledger(provider).PostRefundAsync(new RefundEntry(orderId, "#1001", Usd(1188), Usd(88), "return", refundReference));

        Assert.Equal("77", id);
        var post = Assert.Single(qbo.Posts("refundreceipt"));
        Assert.Equal(QuickBooksKeys.RequestId(AccountingDocument.Refund, refundReference), post.RequestMessage.Query!["requestid"].Single());
        var body = JsonNode.Parse(post.RequestMessage.Body!)!;
        Assert.Equal(docNumber, (string?)body["DocNumber"]);
        Assert.NotEqual(QuickBooksKeys.SaleDocNumber(orderId, refundReference), docNumber);
        Assert.StartsWith(QuickBooksKeys.OrderPrefix(orderId), docNumber, StringComparison.Ordinal);
        Assert.Equal("35", (string?)body["DepositToAccountRef"]!["value"]);
        var line = Assert.Single(body["Line"]!.AsArray());
        AssertItemLine(line!, "1", 1, 11.00m, 11.00m);
        Assert.Equal(0.88m, QuickBooksStub.Amount(body["TxnTaxDetail"]!["TotalTax"]));
        Assert.Contains(refundReference, (string?)body["PrivateNote"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDocumentsAsync_ReceiptsOfTheOrder_MapsTotalsTaxAndReferences()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        var saleNote = QuickBooksKeys.PrivateNote(orderId, "#1001", Reference);
        var refundNote = QuickBooksKeys.PrivateNote(orderId, "#1001", "refund-1");
        var otherOrder = QuickBooksKeys.PrivateNote("shopify-other", "#9", "shopify-other:accounting");
        qbo.Query("SalesReceipt").RespondWith(QuickBooksStub.QueryAnswer(
            "SalesReceipt",
            QuickBooksStub.Document("142", QuickBooksKeys.SaleDocNumber(orderId, Reference), saleNote, 49.51m, 3.52m),
            QuickBooksStub.Document("143", QuickBooksKeys.OrderPrefix(orderId) + "SXXXXXX", otherOrder, 1m, 0m)));
        qbo.Query("RefundReceipt").RespondWith(QuickBooksStub.QueryAnswer(
            "RefundReceipt", QuickBooksStub.Document("77", QuickBooksKeys.RefundDocNumber(orderId, "refund-1"), refundNote, 11.88m, 0.88m)));
        using var provider = Build();

        var documents = await Ledger(provider).ListDocumentsAsync(orderId);

        Assert.Equal(
            [
                new AccountingDocument(orderId, AccountingDocument.Sale, Reference, "142", Usd(4951), Usd(352)),
                new AccountingDocument(orderId, AccountingDocument.Refund, "refund-1", "77", Usd(1188), Usd(88)),
            ],
            documents);
        var queries = qbo.Queries.Select(q => q.RequestMessage.Query!["query"].Single()).ToList();
        Assert.Contains($"select * from SalesReceipt where DocNumber LIKE '{QuickBooksKeys.OrderPrefix(orderId)}%'", queries);
        Assert.Contains($"select * from RefundReceipt where DocNumber LIKE '{QuickBooksKeys.OrderPrefix(orderId)}%'", queries);
    }

    [Fact]
    public async Task PostSaleAsync_ValidationFault_ThrowsWithTheFaultDetail()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        qbo.Query("SalesReceipt").RespondWith(QuickBooksStub.QueryAnswer("SalesReceipt"));
        qbo.Create("SalesReceipt").RespondWith(QuickBooksStub.Fault(
            400, "ValidationFault", "6000", "A business validation error has occurred while processing your request",
            "Business Validation Error: Make sure all your transactions have a GST/HST rate before you save.", "TaxCodeRef"));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<QuickBooksFaultException>(() => Ledger(provider).PostSaleAsync(Sale()));

        Assert.Equal("ValidationFault", ex.FaultType);
        Assert.Equal(["6000"], ex.Codes);
        Assert.Contains("QuickBooks ValidationFault on create SalesReceipt (HTTP 400)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6000] A business validation error", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Make sure all your transactions have a GST/HST rate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(element TaxCodeRef)", ex.Message, StringComparison.Ordinal);
        Assert.Single(qbo.Posts("salesreceipt"));
    }

    [Fact]
    public async Task PostSaleAsync_LinesDisagreeWithRevenue_ThrowsWithoutCallingQuickBooks()
    {
        qbo.GivenToken("at-1", InitialRefreshToken);
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Ledger(provider).PostSaleAsync(Sale() with { Revenue = Usd(4300) }));

        Assert.Contains("do not add up to its revenue", ex.Message, StringComparison.Ordinal);
        Assert.Empty(qbo.Server.LogEntries);
    }

    private const string Reference = "order:accounting";

    private static string Note => "OrderFlow order";

    private SaleEntry Sale() => new(
        orderId,
        "#1001",
        Usd(4400),
        Usd(352),
        Usd(699),
        Usd(500),
        Reference,
        [new SaleLine("MUG-01", "Mug", 2, Usd(1200)), new SaleLine("TEE-02", "Tee", 1, Usd(2000))],
        [new TaxLine("NY State Tax", Usd(176), 4.0m), new TaxLine("NYC Tax", Usd(176), 4.0m)]);

    private static Money Usd(long minor) => new(minor, "USD");

    private static void AssertItemLine(JsonNode line, string itemId, int quantity, decimal unitPrice, decimal amount)
    {
        Assert.Equal("SalesItemLineDetail", (string?)line["DetailType"]);
        Assert.Equal(amount, QuickBooksStub.Amount(line["Amount"]));
        var detail = line["SalesItemLineDetail"]!;
        Assert.Equal(itemId, (string?)detail["ItemRef"]!["value"]);
        Assert.Equal(quantity, (int)detail["Qty"]!);
        Assert.Equal(unitPrice, QuickBooksStub.Amount(detail["UnitPrice"]));
    }

    private static QuickBooksAccountingLedger Ledger(ServiceProvider provider) => provider.GetRequiredService<QuickBooksAccountingLedger>();

    private ServiceProvider Build()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Adapters:Accounting"] = "QuickBooks",
            ["QuickBooks:BaseUrl"] = qbo.Server.Url,
            ["QuickBooks:TokenUrl"] = qbo.Server.Url + QuickBooksStub.TokenPath,
            ["QuickBooks:RealmId"] = qbo.RealmId,
            ["QuickBooks:ClientId"] = "client-1",
            ["QuickBooks:ClientSecret"] = "client-secret-0123456789",
            ["QuickBooks:RefreshToken"] = InitialRefreshToken,
            ["QuickBooks:CustomerId"] = "58",
            ["QuickBooks:DepositAccountId"] = "35",
            ["QuickBooks:DefaultItemId"] = "1",
            ["QuickBooks:Items"] = "MUG-01=11; SKU-OTHER=12",
            ["QuickBooks:LineTaxCodeId"] = "TAX",
            ["QuickBooks:TaxRates"] = "NY State Tax=7;NYC Tax=8",
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage.Tables);
        services.AddOrderFlowQuickBooks(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
