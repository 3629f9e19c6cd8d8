using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Catalog;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Domain.Inventory;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Tests.Catalog;

/// <summary>
/// GET /api/catalog.csv and POST /api/catalog/import against the catalog table on Azurite: dry run, apply, rejected
/// files, idempotent re-posts, and units applied as count-correction deltas that keep sales made meanwhile.
/// </summary>
public sealed class CatalogHandlerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Header = "sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\n";
    private readonly TableCatalog catalog = new(storage.Tables);
    private readonly StockEngineDouble engine = new();
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    private string Mug => $"MUG-{suffix}";

    private string Tee => $"TEE-{suffix}";

    [Fact]
    public async Task ImportAsync_WithoutDryRun_400AndNothingRead()
    {
        var result = await Handler().ImportAsync(Request(Key, Header + $"{Mug},Mug,WH,1,,,,\r\n", dryRun: null), engine, default);

        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
        Assert.Contains("dryRun=true|false is required", Detail(result), StringComparison.Ordinal);
        Assert.Null(await catalog.GetAsync(Mug));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task Routes_MissingOrWrongKey_401AndNothingChanged(string? key)
    {
        var import = await Handler().ImportAsync(Request(key, Header + $"{Mug},Mug,WH,1,,,,\r\n", dryRun: "false"), engine, default);
        var export = await Handler().ExportAsync(Request(key, string.Empty, dryRun: null), engine, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Status(import));
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(export));
        Assert.Null(await catalog.GetAsync(Mug));
        Assert.Empty(engine.Runs);
    }

    [Fact]
    public async Task ImportAsync_DryRun_ListsCreatesUpdatesAndDeltasAndChangesNothing()
    {
        await catalog.UpsertAsync(new CatalogItem(Mug, "Mug", true, OutOfStockPolicies.Escalate, ReorderThreshold: 2));
        engine.Stock(Mug).SetOnHand(Mug, "WH-EAST", 10, "test", "stock count", DateTimeOffset.UtcNow);
        var csv = Header + $"{Mug},Mug,WH-EAST,7,5,Backorder,,\r\n{Mug},,WH-WEST,3,,,,\r\n{Tee},Tee,WH-EAST,4,,,,\r\n";

        var report = Ok(await Handler().ImportAsync(Request(Key, csv, dryRun: "true"), engine, default));

        Assert.True(report.DryRun);
        Assert.False(report.Applied);
        Assert.Empty(report.Rejected);
        var mug = report.Changes.Single(c => c.Sku == Mug);
        Assert.Equal("update", mug.Action);
        Assert.Equal([new CatalogFieldChange("reorderThreshold", "2", "5"), new CatalogFieldChange("outOfStockPolicy", "Escalate", "Backorder")], mug.Fields);
        Assert.Equal([new CatalogUnitChange("WH-EAST", 10, 7, -3, CatalogHandler.Planned), new CatalogUnitChange("WH-WEST", 0, 3, 3, CatalogHandler.Planned)], mug.Units);
        var tee = report.Changes.Single(c => c.Sku == Tee);
        Assert.Equal("create", tee.Action);
        Assert.Contains(new CatalogFieldChange("title", null, "Tee"), tee.Fields);
        Assert.StartsWith("Dry run: 1 SKU(s) to create, 1 to update", report.Summary, StringComparison.Ordinal);

        Assert.Null(await catalog.GetAsync(Tee));
        Assert.Equal(OutOfStockPolicies.Escalate, (await catalog.GetAsync(Mug))!.OutOfStockPolicy);
        Assert.Empty(engine.Runs);
    }

    [Fact]
    public async Task ImportAsync_Apply_WritesCatalogAndPostsCountCorrectionDeltasThatKeepSalesMadeMeanwhile()
    {
        engine.Stock(Mug).SetOnHand(Mug, "WH-EAST", 10, "test", "stock count", DateTimeOffset.UtcNow);
        await catalog.UpsertAsync(new CatalogItem(Mug, "Mug", true));
        var csv = Header + $"{Mug},Mug v2,WH-EAST,12,4,,,\r\n{Tee},Tee,WH-WEST,5,,,,\r\n";

        // Two units sell after the import read the count (10) and before its movement runs: the file's +2 lands on top
        // of the sale (10 - 2 + 2), where writing the file's 12 over the count would have undone it.
        var racing = new StaleReadEngine(engine, () => engine.Sell(Mug, "WH-EAST", 2, $"order-{suffix}"));
        var report = Ok(await Handler().ImportAsync(Request(Key, csv, dryRun: "false"), racing, default));

        Assert.True(report.Applied);
        Assert.Equal(new CatalogUnitChange("WH-EAST", 10, 12, 2, CatalogHandler.Applied), report.Changes.Single(c => c.Sku == Mug).Units.Single());
        Assert.Equal(10, engine.Stock(Mug).Locations["WH-EAST"].OnHand);
        Assert.Equal(5, engine.Stock(Tee).Locations["WH-WEST"].OnHand);
        Assert.Equal(4, engine.Stock(Mug).ReorderThreshold);
        Assert.Equal(new CatalogItem(Mug, "Mug v2", true, ReorderThreshold: 4), await catalog.GetAsync(Mug));
        Assert.Equal(new CatalogItem(Tee, "Tee", true), await catalog.GetAsync(Tee));
        Assert.All(engine.Runs, r =>
        {
            Assert.Empty(r.Input.OnHandByLocation);
            Assert.Equal($"count-correction catalog {report.FileSha256[..12]}", r.Input.Reason);
            Assert.Equal(CatalogHandler.Actor, r.Input.Actor);
        });
        Assert.True(StockMovementHandler.Reasons.ContainsKey(CatalogHandler.MovementReason));
    }

    [Fact]
    public async Task ImportAsync_SameFilePostedAgainAfterASale_AppliesNothingTwice()
    {
        var csv = Header + $"{Mug},Mug,WH-EAST,6,,,,\r\n";
        var first = Ok(await Handler().ImportAsync(Request(Key, csv, dryRun: "false"), engine, default));
        engine.Sell(Mug, "WH-EAST", 1, $"order-{suffix}");

        var dryRun = Ok(await Handler().ImportAsync(Request(Key, csv, dryRun: "true"), engine, default));
        var second = Ok(await Handler().ImportAsync(Request(Key, csv, dryRun: "false"), engine, default));

        Assert.Equal(CatalogHandler.Applied, first.Changes.Single().Units.Single().Status);
        Assert.Equal(new CatalogUnitChange("WH-EAST", 5, 6, 6, CatalogHandler.AlreadyApplied), dryRun.Changes.Single().Units.Single());
        Assert.Equal(CatalogHandler.AlreadyApplied, second.Changes.Single().Units.Single().Status);
        Assert.Equal("unchanged", second.Changes.Single().Action);
        Assert.Equal(first.FileSha256, second.FileSha256);
        Assert.Single(engine.Runs);
        Assert.Equal(5, engine.Stock(Mug).Locations["WH-EAST"].OnHand);
    }

    [Fact]
    public async Task ImportAsync_RemovalLargerThanWhatIsLeft_FailsThatLocationAndARepostRetriesWithAFreshDifference()
    {
        engine.Stock(Mug).SetOnHand(Mug, "WH-EAST", 5, "test", "stock count", DateTimeOffset.UtcNow);
        var csv = Header + $"{Mug},Mug,WH-EAST,0,,,,\r\n";
        var handler = Handler();
        var dryRun = Ok(await handler.ImportAsync(Request(Key, csv, dryRun: "true"), engine, default));
        Assert.Equal(-5, dryRun.Changes.Single().Units.Single().Delta);

        // The stale read: the plan says -5, but a unit sells before the movement runs.
        var stale = new StaleReadEngine(engine, () => engine.Sell(Mug, "WH-EAST", 1, $"order-{suffix}"));
        var failed = Ok(await handler.ImportAsync(Request(Key, csv, dryRun: "false"), stale, default));
        var retried = Ok(await handler.ImportAsync(Request(Key, csv, dryRun: "false"), engine, default));

        Assert.Equal(CatalogHandler.Failed, failed.Changes.Single().Units.Single().Status);
        Assert.Contains("1 failed", failed.Summary, StringComparison.Ordinal);
        Assert.Equal(new CatalogUnitChange("WH-EAST", 4, 0, -4, CatalogHandler.Applied), retried.Changes.Single().Units.Single());
        Assert.Equal(0, engine.Stock(Mug).Locations["WH-EAST"].OnHand);
    }

    [Fact]
    public async Task ImportAsync_ApplyFileWithARejectedRow_422ListingTheRowsAndNothingApplied()
    {
        var csv = Header + $"{Mug},Mug,WH-EAST,6,,,,\r\n{Tee},Tee,WH-EAST,-1,,,,\r\n";

        var result = await Handler().ImportAsync(Request(Key, csv, dryRun: "false"), engine, default);

        var problem = Assert.IsType<ProblemHttpResult>(result).ProblemDetails;
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.Status);
        Assert.StartsWith("1 of 2 row(s) rejected: a file is applied whole or not at all, so nothing was applied.", problem.Detail, StringComparison.Ordinal);
        var rejected = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<CatalogRejectedRow>>(problem.Extensions["rejected"]));
        Assert.Equal((3, Tee), (rejected.Line, rejected.Sku));
        Assert.Null(await catalog.GetAsync(Mug));
        Assert.Empty(engine.Runs);
    }

    [Theory]
    [InlineData("sku,units\r\nMUG,1\r\n", "The header must name the columns")]
    [InlineData("sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\n\"MUG,Mug\r\n", "Line 2: a quoted field is never closed.")]
    [InlineData("", "The body is empty")]
    public async Task ImportAsync_UnreadableFile_400WithTheReason(string csv, string expected)
    {
        var result = await Handler().ImportAsync(Request(Key, csv, dryRun: "true"), engine, default);

        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
        Assert.StartsWith(expected, Detail(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_ThenImportTheExport_OneRowPerLocationAndNothingToChange()
    {
        await catalog.UpsertAsync(new CatalogItem(Mug, "Mug, \"big\"", true, OutOfStockPolicies.Backorder, ReorderThreshold: 3));
        engine.Stock(Mug).SetOnHand(Mug, "WH-WEST", 2, "test", "stock count", DateTimeOffset.UtcNow);
        engine.Stock(Mug).SetOnHand(Mug, "WH-EAST", 9, "test", "stock count", DateTimeOffset.UtcNow);
        engine.Stock(Mug).SetReorderThreshold(Mug, 3);

        var export = Assert.IsType<ReconciliationHandler.CsvResult>(await Handler().ExportAsync(Request(Key, string.Empty, dryRun: null), engine, default));
        var report = Ok(await Handler().ImportAsync(Request(Key, export.Csv, dryRun: "true"), engine, default));

        Assert.Contains($"{Mug},\"Mug, \"\"big\"\"\",WH-EAST,9,3,Backorder,,\r\n{Mug},\"Mug, \"\"big\"\"\",WH-WEST,2,3,Backorder,,\r\n", export.Csv, StringComparison.Ordinal);
        var mug = report.Changes.Single(c => c.Sku == Mug);
        Assert.Equal("unchanged", mug.Action);
        Assert.All(mug.Units, u => Assert.Equal(0, u.Delta));
    }

    [Fact]
    public async Task ExportAndImportAsync_SplitSku_CountTheUnitsOfAllItsEntities()
    {
        var hot = $"HOT-{suffix}";
        var split = new InventoryOptions();
        split.SplitSkus[hot] = 2;
        await catalog.UpsertAsync(new CatalogItem(hot, "Hot", true, OutOfStockPolicies.Escalate));
        engine.Stock(hot).SetOnHand(hot, "WH-EAST", 5, "test", "stock count", DateTimeOffset.UtcNow);
        engine.Stock(StockShards.Key(hot, 1)).SetOnHand(hot, "WH-EAST", 7, "test", "rebalance", DateTimeOffset.UtcNow);
        engine.Stock(StockShards.Key(hot, 1)).SetOnHand(hot, "WH-WEST", 2, "test", "rebalance", DateTimeOffset.UtcNow);

        var export = Assert.IsType<ReconciliationHandler.CsvResult>(await Handler(split).ExportAsync(Request(Key, string.Empty, dryRun: null), engine, default));
        var report = Ok(await Handler(split).ImportAsync(Request(Key, Header + $"{hot},Hot,WH-EAST,10,,,,\r\n", dryRun: "false"), engine, default));

        // 5 in the SKU's own entity and 7 in its shard: the export writes 12, and a count of 10 removes 2 (through the shards).
        Assert.Contains($"{hot},Hot,WH-EAST,12,,Escalate,,\r\n{hot},Hot,WH-WEST,2,,Escalate,,\r\n", export.Csv, StringComparison.Ordinal);
        var unit = Assert.Single(report.Changes.Single(c => c.Sku == hot).Units);
        Assert.Equal((12, 10, -2), (unit.OnHand, unit.Units, unit.Delta));
        var run = Assert.Single(engine.Runs).Input;
        Assert.Equal((-2, 2), (run.DeltaByLocation!["WH-EAST"], run.Shards));
    }

    private CatalogHandler Handler(InventoryOptions? inventory = null) =>
        new(catalog, Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), NullLogger<CatalogHandler>.Instance,
            Microsoft.Extensions.Options.Options.Create(inventory ?? new InventoryOptions()));

    private static HttpRequest Request(string? key, string body, string? dryRun)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.ContentType = "text/csv";
        context.Request.Body = new MemoryStream(bytes);
        if (dryRun is not null)
        {
            context.Request.QueryString = new QueryString($"?dryRun={dryRun}");
        }

        if (key is not null)
        {
            context.Request.Headers[OperatorKey.Header] = key;
        }

        return context.Request;
    }

    private static CatalogImportReport Ok(IResult result) => Assert.IsType<Ok<CatalogImportReport>>(result).Value!;

    private static int? Status(IResult result) => Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode;

    private static string? Detail(IResult result) => Assert.IsType<ProblemHttpResult>(result).ProblemDetails.Detail;

    /// <summary>The engine with something happening between the import's read and its first movement (a sale racing the import).</summary>
    private sealed class StaleReadEngine(StockEngineDouble inner, Action beforeFirstStart) : OrderFlow.Workflows.Ports.IWorkflowClient
    {
        private Action? pending = beforeFirstStart;

        public Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
        {
            Interlocked.Exchange(ref pending, null)?.Invoke();
            return inner.StartAsync(orchestratorName, instanceId, input, cancellationToken);
        }

        public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) => inner.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

        public Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) => inner.GetStatusAsync(instanceId, cancellationToken);

        public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) => inner.GetEntityStateAsync<T>(entityName, key, cancellationToken);

        public Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default) =>
            inner.ListInstancesAsync(orchestratorName, runtimeStatuses, limit, cancellationToken);

        public Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) => inner.GetInputAsync<T>(instanceId, cancellationToken);

        public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) => inner.RestartAsync(orchestratorName, instanceId, input, cancellationToken);

        public Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitForCompletionAsync(instanceId, timeout, cancellationToken);
    }
}
