using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Inventory;

/// <summary>GET /api/inventory/{sku}/explain and POST /api/inventory/{sku}/audit over a SKU's entity state and its movement ledger.</summary>
public sealed class StockInsightHandlerTests
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly Mock<ICatalog> catalog = new();
    private readonly Mock<IStockJournal> journal = new();
    private readonly Mock<IStockAlerts> alerts = new();
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly SkuInventory stock = new();
    private readonly List<StockLedgerLine> ledger = [];

    public StockInsightHandlerTests()
    {
        catalog.Setup(c => c.GetAsync("MUG", It.IsAny<CancellationToken>())).ReturnsAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        workflows.Setup(w => w.GetEntityStateAsync<SkuInventory>(nameof(InventoryEntity), "MUG", It.IsAny<CancellationToken>())).ReturnsAsync(stock);
        journal.Setup(j => j.ReadAsync("MUG", It.IsAny<CancellationToken>())).ReturnsAsync(() => ledger);

        // A real history: counted 3, two orders reserve everything, a third waits for 2.
        stock.SetOnHand("MUG", "WH-EAST", 3, "api", "stock count", Now);
        stock.Reserve("MUG", "order-a", 2, Now.AddHours(-1));
        stock.Reserve("MUG", "order-b", 1, Now.AddDays(1));
        stock.Reserve("MUG", "order-c", 2, Now.AddDays(1), allowBackorder: true);
        ledger.AddRange(stock.TakeJournal().Movements.Select(m => new StockLedgerLine(m, Now)));
    }

    [Fact]
    public async Task ExplainAsync_SoldOut_NamesHoldersWaitersAndPolicy()
    {
        var result = await Handler().ExplainAsync("MUG", Request(Key), workflows.Object, default);

        var explanation = Assert.IsType<Ok<StockExplanation>>(result).Value!;
        Assert.Equal((3, 3, 0), (explanation.OnHand, explanation.Reserved, explanation.Available));
        Assert.Equal(["order-a", "order-b"], explanation.Reservations.Select(r => r.OrderId));
        Assert.Equal(new BackorderView(1, "order-c", 2), Assert.Single(explanation.Backorders));
        Assert.Equal(OutOfStockPolicies.Backorder, explanation.OutOfStockPolicy);
        Assert.Contains("WH-EAST: 3 on hand, 3 reserved, 0 available.", explanation.Explanation);
        Assert.Contains(explanation.Explanation, l => l.Contains("1 hold(s) are past their expiry", StringComparison.Ordinal));
        Assert.Contains(explanation.Explanation, l => l.Contains("2 unit(s) are backordered by 1 order(s)", StringComparison.Ordinal));
        Assert.Contains("Nothing is available: a new order follows the Backorder out-of-stock policy.", explanation.Explanation);
        Assert.Equal(ledger.Count, explanation.RecentMovements.Count);
    }

    [Fact]
    public async Task AuditAsync_LedgerMatchesCounters_NoDriftAndNothingStarted()
    {
        var result = await Handler().AuditAsync("MUG", Request(Key), workflows.Object, default);

        var audit = Assert.IsType<Ok<StockAudit>>(result).Value!;
        Assert.False(audit.Drift);
        Assert.Equal(new LocationAudit("WH-EAST", 3, 3, 3, 3, 3), Assert.Single(audit.Locations));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AuditAsync_LedgerHasAnOperationTheEntityHasNotSaved_ReportedPendingNotDrift()
    {
        // The entity wrote a reservation's movement, then its host died before the state was saved (or it is running now).
        ledger.Add(new StockLedgerLine(new OrderFlow.Domain.Inventory.StockMovement(stock.Sequence + 1, "WH-EAST", 0, 1, StockReasons.Reserve, "order-d", null, "system"), Now));

        var audit = Assert.IsType<Ok<StockAudit>>(await Handler().AuditAsync("MUG", Request(Key, "?repair=true"), workflows.Object, default)).Value!;

        Assert.False(audit.Drift);
        Assert.Equal(1, audit.PendingMovements);
        Assert.Equal(new LocationAudit("WH-EAST", 3, 3, 3, 3, 3), Assert.Single(audit.Locations));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AuditAsync_CountersDriftedWithRepair_ResetsThemToTheLedgerThroughTheEngine()
    {
        stock.Locations["WH-EAST"].OnHand = 9;
        StockRepair? repair = null;
        workflows.Setup(w => w.StartAsync(nameof(StockRepairOrchestrator), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object input, CancellationToken _) => repair = (StockRepair)input)
            .ReturnsAsync(true);
        workflows.Setup(w => w.WaitForCompletionAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, TimeSpan _, CancellationToken _) => new WorkflowStatus(id, "Completed", null, "{}", Now));

        var withoutRepair = Assert.IsType<Ok<StockAudit>>(await Handler().AuditAsync("MUG", Request(Key), workflows.Object, default)).Value!;
        var repaired = Assert.IsType<Ok<StockAudit>>(await Handler().AuditAsync("MUG", Request(Key, "?repair=true"), workflows.Object, default)).Value!;

        Assert.True(withoutRepair.Drift);
        Assert.False(withoutRepair.Repaired);
        Assert.True(repaired.Repaired);
        Assert.Equal(new LocationCounters(3, 3), repair!.Locations["WH-EAST"]);
    }

    [Fact]
    public async Task AllRoutes_WithoutOperatorKey_401AndNothingRead()
    {
        var handler = Handler();
        IResult[] results =
        [
            await handler.ExplainAsync("MUG", Request(null), workflows.Object, default),
            await handler.AuditAsync("MUG", Request("wrong"), workflows.Object, default),
            await handler.AlertsAsync(Request(null), default),
        ];

        Assert.All(results, r => Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(r).StatusCode));
        journal.VerifyNoOtherCalls();
        alerts.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AlertsAsync_OpenTrue_ListsTheOpenSuggestionsOnePerSkuOldestFirst()
    {
        alerts.Setup(a => a.ListAsync(It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(Suggestions());

        var open = Assert.IsType<Ok<IReadOnlyList<StockAlertRecord>>>(await Handler().AlertsAsync(Request(Key, "?open=true"), default)).Value!;
        var all = Assert.IsType<Ok<IReadOnlyList<StockAlertRecord>>>(await Handler().AlertsAsync(Request(Key), default)).Value!;

        Assert.Equal([("TEE", 3L), ("MUG", 5L)], open.Select(a => (a.Sku, a.Sequence)));
        Assert.Equal(4, all.Count);
    }

    [Fact]
    public async Task ReorderPageAsync_SignedIn_ShowsEachOpenSuggestionWithItsQuantityAndReason()
    {
        alerts.Setup(a => a.ListAsync(It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(Suggestions());

        var page = Assert.IsType<HtmlPage>(await Handler().ReorderPageAsync(Request(Key), default));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains("2 SKU(s) below their reorder threshold", page.Html, StringComparison.Ordinal);
        Assert.Contains("<td>62</td>", page.Html, StringComparison.Ordinal);
        Assert.Contains("order up to 66", page.Html, StringComparison.Ordinal);
        Assert.Contains("/api/console/inventory/TEE", page.Html, StringComparison.Ordinal);
        Assert.Contains("email failed: smtp down", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("CUP", page.Html, StringComparison.Ordinal);
        Assert.True(page.Html.IndexOf(">TEE<", StringComparison.Ordinal) < page.Html.IndexOf(">MUG<", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReorderPageAsync_NotSignedIn_RedirectsToSignInAndReadsNothing()
    {
        var result = await Handler().ReorderPageAsync(Request(null), default);

        Assert.Equal("/api/console/login", Assert.IsType<RedirectHttpResult>(result).Url);
        alerts.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ExplainAsync_SkuSplitAutomatically_SaysSinceWhenAndAtWhatRate()
    {
        var (options, _) = SplitHot();
        options.SplitSkus.Clear();
        options.AutomaticSplits.Put(new AutoSplit("HOT", 2, new DateTimeOffset(2031, 5, 1, 10, 0, 0, TimeSpan.Zero), 750));

        var explanation = Assert.IsType<Ok<StockExplanation>>(await Handler(options).ExplainAsync("HOT", Request(Key), workflows.Object, default)).Value!;

        Assert.Equal((5, 3, 2), (explanation.OnHand, explanation.Reserved, explanation.Available));
        Assert.Contains(explanation.Explanation, l => l.StartsWith("Stock is split across 2 entities (Inventory:AutoSplit), available: HOT 2, HOT~shard1 0.", StringComparison.Ordinal));
        Assert.Contains("Split automatically into 2 shards since 2031-05-01 10:00:00Z (750 reservations/min).", explanation.Explanation);
    }

    [Fact]
    public async Task ExplainAndAuditAsync_SplitSku_OneSkuFromItsShardsAndTheirLedgers()
    {
        var (options, shard) = SplitHot();

        var explanation = Assert.IsType<Ok<StockExplanation>>(await Handler(options).ExplainAsync("HOT", Request(Key), workflows.Object, default)).Value!;
        var audit = Assert.IsType<Ok<StockAudit>>(await Handler(options).AuditAsync("HOT", Request(Key), workflows.Object, default)).Value!;

        // 5 counted at the SKU, 2 moved to its shard; order-a holds 1 at the SKU, order-b 2 at the shard.
        Assert.Equal((5, 3, 2), (explanation.OnHand, explanation.Reserved, explanation.Available));
        Assert.Equal(["order-a", "order-b"], explanation.Reservations.Select(r => r.OrderId).Order(StringComparer.Ordinal));
        Assert.Contains(explanation.Explanation, l => l.StartsWith("Stock is split across 2 entities (Inventory:SplitSkus), available: HOT 2, HOT~shard1 0.", StringComparison.Ordinal));
        Assert.False(audit.Drift);
        Assert.Equal(new LocationAudit("WH-EAST", 5, 5, 3, 3, 3), Assert.Single(audit.Locations));

        // The shard drifts from its own ledger: the audit names the drift and repairs that shard.
        shard.Locations["WH-EAST"].OnHand = 9;
        var repaired = Assert.IsType<Ok<StockAudit>>(await Handler(options).AuditAsync("HOT", Request(Key, "?repair=true"), workflows.Object, default)).Value!;
        Assert.True(repaired.Drift);
        Assert.Equal(new LocationAudit("WH-EAST", 12, 5, 3, 3, 3), Assert.Single(repaired.Locations));
        workflows.Verify(w => w.StartAsync(nameof(StockRepairOrchestrator), It.Is<string>(id => id.StartsWith("stock-repair-HOT~shard1-", StringComparison.Ordinal)),
            It.Is<object>(o => ((StockRepair)o).Sku == "HOT~shard1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StockViewAndConsolePage_SplitSku_TheWholeSkuFromItsShards()
    {
        var (options, _) = SplitHot();
        var inventory = Inventory(options);

        var view = Assert.IsType<Ok<StockView>>(await inventory.GetAsync("HOT", Request(Key), workflows.Object, default)).Value!;
        var page = Assert.IsType<HtmlPage>(await Console(inventory).InventoryAsync("HOT", Request(Key), workflows.Object, default));

        // 5 on hand in all (3 at the SKU's own entity, 2 at its shard); order-a holds 1 at the SKU, order-b 2 at the shard.
        Assert.Equal(("HOT", 5, 3, 2), (view.Sku, view.OnHand, view.Reserved, view.Available));
        Assert.Equal(new LocationStockView(5, 3, 2), Assert.Single(view.Locations).Value);
        Assert.Equal(["order-a", "order-b"], view.Reservations.Select(r => r.OrderId));
        Assert.Contains("<tr><td>WH-EAST</td><td>5</td><td>3</td><td>2</td></tr>", page.Html, StringComparison.Ordinal);
        Assert.Contains("Reservations (2)", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_SplitSku_AnswersWithTheWholeSku()
    {
        var (options, _) = SplitHot();
        var context = new DefaultHttpContext();
        context.Request.Headers[OperatorKey.Header] = Key;
        context.Request.Body = new MemoryStream("{\"locations\":{\"WH-EAST\":5}}"u8.ToArray());

        var view = Assert.IsType<Ok<StockView>>(await Inventory(options).PutAsync("HOT", context.Request, workflows.Object, default)).Value!;

        Assert.Equal((5, 3, 2), (view.OnHand, view.Reserved, view.Available));
        workflows.Verify(w => w.StartAsync(nameof(StockAdjustmentOrchestrator), It.IsAny<string>(), It.Is<object>(o => ((StockAdjustment)o).Shards == 2), It.IsAny<CancellationToken>()));
    }

    private InventoryHandler Inventory(InventoryOptions options) => new(
        catalog.Object,
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        TimeProvider.System,
        NullLogger<InventoryHandler>.Instance,
        Microsoft.Extensions.Options.Options.Create(options));

    /// <summary>HOT split in two: 5 counted at the SKU's own entity, 2 of them moved to its shard; one order holds at each.</summary>
    private (InventoryOptions Options, SkuInventory Shard) SplitHot()
    {
        var own = new SkuInventory();
        var shard = new SkuInventory();
        own.SetOnHand("HOT", "WH-EAST", 5, "api", "stock count", Now);
        shard.Receive("HOT", own.TakeAvailable(null, 2, "t1", "rebalancer"), "t1", "rebalancer", Now);
        own.Reserve("HOT", "order-a", 1, Now.AddDays(1));
        shard.Reserve("HOT", "order-b", 2, Now.AddDays(1));
        var ownLedger = own.TakeJournal().Movements.Select(m => new StockLedgerLine(m, Now)).ToList();
        var shardLedger = shard.TakeJournal().Movements.Select(m => new StockLedgerLine(m, Now)).ToList();
        catalog.Setup(c => c.GetAsync("HOT", It.IsAny<CancellationToken>())).ReturnsAsync(new CatalogItem("HOT", "Hot", true, OutOfStockPolicies.Escalate));
        workflows.Setup(w => w.GetEntityStateAsync<SkuInventory>(nameof(InventoryEntity), "HOT", It.IsAny<CancellationToken>())).ReturnsAsync(own);
        workflows.Setup(w => w.GetEntityStateAsync<SkuInventory>(nameof(InventoryEntity), "HOT~shard1", It.IsAny<CancellationToken>())).ReturnsAsync(shard);
        workflows.Setup(w => w.WaitForCompletionAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, TimeSpan _, CancellationToken _) => new WorkflowStatus(id, "Completed", null, "{}", Now));
        journal.Setup(j => j.ReadAsync("HOT", It.IsAny<CancellationToken>())).ReturnsAsync(ownLedger);
        journal.Setup(j => j.ReadAsync("HOT~shard1", It.IsAny<CancellationToken>())).ReturnsAsync(shardLedger);
        var options = new InventoryOptions();
        options.SplitSkus["HOT"] = 2;
        return (options, shard);
    }

    private static List<StockAlertRecord> Suggestions() =>
    [
        new("MUG", 5, 4, 10, Now.AddHours(-1), Now.AddHours(-1), null, 62, "56 units sold ... order up to 66; 4 available now, so order 62."),
        new("MUG", 2, 3, 10, Now.AddDays(-9), Now.AddDays(-9), null, 40, "older alert", Now.AddDays(-8), "received PO-1"),
        new("TEE", 3, 1, 5, Now.AddDays(-2), null, "smtp down", 9, "No units sold ..."),
        new("CUP", 4, 0, 5, Now.AddDays(-3), Now.AddDays(-3), null, 10, "closed", Now.AddDays(-1), "received PO-2"),
    ];

    private StockInsightHandler Handler(InventoryOptions? inventory = null) => new(
        catalog.Object,
        journal.Object,
        alerts.Object,
        Console(),
        Microsoft.Extensions.Options.Options.Create(inventory ?? new InventoryOptions()),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        TimeProvider.System,
        NullLogger<StockInsightHandler>.Instance);

    private static ConsoleHandler Console(InventoryHandler? inventory = null)
    {
        var operations = Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key });
        return new ConsoleHandler(
            Mock.Of<ICaseReader>(),
            new CaseDecisionService(Mock.Of<ICaseDecisionStore>(), TimeProvider.System, NullLogger<CaseDecisionService>.Instance),
            Mock.Of<IOrderStore>(),
            inventory ?? new InventoryHandler(Mock.Of<ICatalog>(), operations, TimeProvider.System, NullLogger<InventoryHandler>.Instance),
            operations,
            TimeProvider.System,
            NullLogger<ConsoleHandler>.Instance);
    }

    private static HttpRequest Request(string? key, string query = "")
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers[OperatorKey.Header] = key;
        }

        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }
}
