using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Catalog;

/// <summary>
/// The catalog as a CSV file (<see cref="CatalogCsv"/>): GET /api/catalog.csv exports it, POST
/// /api/catalog/import?dryRun=true|false imports one (operator routes, X-Operator-Key), and the console's Catalog page
/// offers the same upload (<see cref="CatalogConsoleHandler"/>). Catalog fields go through <see cref="ICatalog"/> like PUT
/// /api/inventory/{sku}. Units are never written over the live count: per SKU and location the import posts the
/// difference between the file's units and the on-hand it reads as a count-correction movement, through the SKU's entity
/// like POST /api/inventory/{sku}/movements, so orders that reserve or ship meanwhile keep their units. Each movement's
/// engine instance is keyed by the file's SHA-256, the SKU and the location: posting the same file again applies nothing
/// twice. A file with any rejected row is refused as a whole (nothing is applied); the dry run lists the rows and why.
/// </summary>
public sealed partial class CatalogHandler(
    ICatalog catalog, IOptions<OperationsOptions> operations, ILogger<CatalogHandler> logger, IOptions<InventoryOptions>? inventory = null)
{
    public const string ExportRoute = "catalog.csv";
    public const string ImportRoute = "catalog/import";

    /// <summary>The movement reason an import posts (one of <see cref="StockMovementHandler.Reasons"/>), followed by the file's hash.</summary>
    public const string MovementReason = "count-correction";

    /// <summary>Who the stock ledger says moved the units.</summary>
    public const string Actor = "catalog-import";

    public const string Planned = "planned";
    public const string Applied = "applied";
    public const string AlreadyApplied = "already-applied";
    public const string Failed = "failed";
    public const string Pending = "pending";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // ---- API ------------------------------------------------------------------------------------------------------

    public async Task<IResult> ExportAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        return await CsvAsync(workflows, cancellationToken);
    }

    public async Task<IResult> ImportAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        if (!bool.TryParse(request.Query["dryRun"].ToString(), out var dryRun))
        {
            return Problems.BadRequest("Query parameter dryRun=true|false is required: dryRun=true lists what the file would change, dryRun=false applies it.");
        }

        var body = await RequestBody.ReadAsync(request, CatalogCsv.MaxBytes, cancellationToken);
        if (body is null)
        {
            return RequestBody.TooLarge(CatalogCsv.MaxBytes);
        }

        var (report, problem) = await RunAsync(body, dryRun, workflows, cancellationToken);
        if (problem is not null)
        {
            return Problems.BadRequest(problem);
        }

        return report!.Rejected.Count > 0 && !dryRun
            ? Results.Problem(
                report.Summary,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Unprocessable",
                extensions: new Dictionary<string, object?> { ["rejected"] = report.Rejected })
            : Results.Ok(report);
    }

    /// <summary>
    /// Reads, checks and plans a file against the current catalog and stock; applies it unless <paramref name="dryRun"/>
    /// or a row is rejected. The problem is set (and the report null) when the file cannot be read at all.
    /// </summary>
    public async Task<(CatalogImportReport? Report, string? Problem)> RunAsync(byte[] file, bool dryRun, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(workflows);
        if (file.Length == 0)
        {
            return (null, $"The body is empty: send the CSV file (header {string.Join(",", CatalogCsv.Columns)}).");
        }

        CatalogFile parsed;
        try
        {
            parsed = CatalogCsv.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file));
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The file is not UTF-8 text: save it as CSV UTF-8.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(file));
        var plans = new List<SkuPlan>();
        foreach (var rows in parsed.Skus)
        {
            plans.Add(await PlanAsync(rows, hash, workflows, cancellationToken));
        }

        if (parsed.Rejected.Count > 0 || dryRun)
        {
            var summary = parsed.Rejected.Count > 0
                ? $"{parsed.Rejected.Count} of {parsed.Rows} row(s) rejected: a file is applied whole or not at all, so nothing {(dryRun ? "would be" : "was")} applied. Correct the rows and post the file again."
                : $"Dry run: {Count(plans, "create")} SKU(s) to create, {Count(plans, "update")} to update, {Count(plans, "unchanged")} unchanged. Nothing was applied.";
            return (Report(dryRun, applied: false, hash, parsed, summary, plans), null);
        }

        foreach (var plan in plans.Where(p => p.Item is not null))
        {
            await catalog.UpsertAsync(plan.Item!, cancellationToken);
        }

        var started = new List<(SkuPlan Plan, int Index)>();
        foreach (var plan in plans)
        {
            for (var i = 0; i < plan.Movements.Count; i++)
            {
                if (await StartAsync(plan.Movements[i], workflows, cancellationToken))
                {
                    started.Add((plan, i));
                }
                else
                {
                    plan.Movements[i] = plan.Movements[i] with { Status = AlreadyApplied };
                }
            }
        }

        foreach (var (plan, i) in started)
        {
            var status = await workflows.WaitForCompletionAsync(plan.Movements[i].InstanceId, Wait, cancellationToken);
            plan.Movements[i] = plan.Movements[i] with { Status = status?.RuntimeStatus switch { "Completed" => Applied, "Failed" => Failed, _ => Pending } };
        }

        var all = plans.SelectMany(p => p.Movements).Where(m => m.Location.Length > 0).ToList();
        LogApplied(hash[..12], plans.Count, all.Count(m => m.Status == Applied), all.Count(m => m.Status == AlreadyApplied), all.Count(m => m.Status == Failed));
        var applied = $"Applied: {Count(plans, "create")} SKU(s) created, {Count(plans, "update")} updated, {Count(plans, "unchanged")} unchanged; "
            + $"{all.Count(m => m.Status == Applied)} location count(s) posted as deltas, {all.Count(m => m.Status == AlreadyApplied)} already applied by this file.";
        if (all.Count(m => m.Status == Failed) is > 0 and var failed)
        {
            applied += $" {failed} failed: units were sold since the file was read; post the same file again to retry them with a fresh difference.";
        }

        if (all.Count(m => m.Status == Pending) is > 0 and var pending)
        {
            applied += $" {pending} still pending in the engine; they will apply.";
        }

        return (Report(dryRun: false, applied: true, hash, parsed, applied, plans), null);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /// <summary>The export as a CSV download (the API route and the console's link).</summary>
    public async Task<IResult> CsvAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var rows = new List<(CatalogItem, IReadOnlyDictionary<string, int>)>();
        foreach (var sku in (await catalog.ListSkusAsync(cancellationToken)).Order(StringComparer.Ordinal))
        {
            if (await catalog.GetAsync(sku, cancellationToken) is not { } item)
            {
                continue;
            }

            var stock = await WholeSkuStock.ReadAsync(workflows, inventory?.Value, sku, cancellationToken);
            rows.Add((item, stock.Locations.ToDictionary(l => l.Key, l => l.Value.OnHand, StringComparer.Ordinal)));
        }

        return new ReconciliationHandler.CsvResult(CatalogCsv.Write(rows), "catalog.csv");
    }

    /// <summary>What one SKU's rows change: the catalog item to write (null: unchanged) and a movement per location.</summary>
    private async Task<SkuPlan> PlanAsync(CatalogSkuRows rows, string hash, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var existing = await catalog.GetAsync(rows.Sku, cancellationToken);
        var stock = await WholeSkuStock.ReadAsync(workflows, inventory?.Value, rows.Sku, cancellationToken);
        var item = new CatalogItem(
            rows.Sku,
            rows.Title ?? existing?.Title ?? rows.Sku,
            existing?.Sellable ?? true,
            rows.OutOfStockPolicy ?? existing?.OutOfStockPolicy,
            rows.SubstituteSku ?? existing?.SubstituteSku,
            rows.ReorderThreshold ?? existing?.ReorderThreshold,
            rows.DownloadUrl is not null || (existing?.Digital ?? false),
            rows.DownloadUrl ?? existing?.DownloadUrl);
        var fields = new List<CatalogFieldChange>();
        void Compare(string field, string? from, string? to)
        {
            if (existing is null ? to is not null : !string.Equals(from, to, StringComparison.Ordinal))
            {
                fields.Add(new CatalogFieldChange(field, from, to));
            }
        }

        Compare(CatalogCsv.Title, existing?.Title, item.Title);
        Compare(CatalogCsv.ReorderThreshold, N(existing?.ReorderThreshold), N(item.ReorderThreshold));
        Compare(CatalogCsv.OutOfStockPolicy, existing?.OutOfStockPolicy, item.OutOfStockPolicy);
        Compare(CatalogCsv.SubstituteSku, existing?.SubstituteSku, item.SubstituteSku);
        Compare(CatalogCsv.DownloadUrl, existing is { Digital: true } ? existing.DownloadUrl : null, item.Digital ? item.DownloadUrl : null);

        // The entity's threshold drives low-stock alerts; set it with the first movement (or alone) when the file changes it.
        var setThreshold = rows.ReorderThreshold is not null && rows.ReorderThreshold != stock.ReorderThreshold;
        var movements = new List<Movement>();
        foreach (var (location, units) in rows.Units.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var onHand = stock.Locations.GetValueOrDefault(location)?.OnHand ?? 0;
            movements.Add(await MovementAsync(rows.Sku, location, onHand, units, hash, movements.Count == 0 && setThreshold, rows.ReorderThreshold, workflows, cancellationToken));
        }

        if (movements.Count == 0 && setThreshold)
        {
            movements.Add(await MovementAsync(rows.Sku, string.Empty, 0, 0, hash, true, rows.ReorderThreshold, workflows, cancellationToken));
        }

        var action = existing is null ? "create"
            : fields.Count > 0 || setThreshold || movements.Any(m => m.Delta != 0 && m.Status == Planned) ? "update"
            : "unchanged";
        return new SkuPlan(rows.Sku, action, existing is null || fields.Count > 0 ? item : null, fields, movements);
    }

    /// <summary>A location's movement under its file-keyed instance id; a movement this file already posted keeps its recorded delta.</summary>
    private static async Task<Movement> MovementAsync(
        string sku, string location, int onHand, int units, string hash, bool setThreshold, int? threshold, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{hash}\n{sku}\n{location}")))[..32];
        var instanceId = $"stock-import-{sku}-{key}";
        var delta = units - onHand;
        var status = await workflows.GetStatusAsync(instanceId, cancellationToken);
        if (status is not null && status.RuntimeStatus is not ("Failed" or "Terminated"))
        {
            var earlier = await workflows.GetInputAsync<StockAdjustment>(instanceId, cancellationToken);
            delta = earlier?.DeltaByLocation?.GetValueOrDefault(location) ?? delta;
            return new Movement(sku, location, onHand, units, delta, instanceId, AlreadyApplied, setThreshold, threshold, hash, Retry: false);
        }

        return new Movement(sku, location, onHand, units, delta, instanceId, Planned, setThreshold, threshold, hash, Retry: status is not null);
    }

    /// <summary>Starts (or, after a failed run, restarts) a movement; false when this file's movement already exists.</summary>
    private async Task<bool> StartAsync(Movement movement, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (movement.Status == AlreadyApplied)
        {
            return false;
        }

        var adjustment = new StockAdjustment(
            movement.Sku,
            new Dictionary<string, int>(),
            Actor,
            $"{MovementReason} catalog {movement.Hash[..12]}",
            movement.Location.Length > 0 ? new Dictionary<string, int> { [movement.Location] = movement.Delta } : null,
            SetReorderThreshold: movement.SetThreshold,
            ReorderThreshold: movement.Threshold,
            Shards: inventory?.Value.ShardsOf(movement.Sku) ?? 1);
        return movement.Retry
            ? await workflows.RestartAsync(nameof(StockAdjustmentOrchestrator), movement.InstanceId, adjustment, cancellationToken)
            : await workflows.StartAsync(nameof(StockAdjustmentOrchestrator), movement.InstanceId, adjustment, cancellationToken);
    }

    private static CatalogImportReport Report(bool dryRun, bool applied, string hash, CatalogFile file, string summary, List<SkuPlan> plans) =>
        new(dryRun, applied, hash, file.Rows, summary,
            plans.Select(p => new CatalogSkuChange(
                p.Sku,
                p.Action,
                p.Fields,
                p.Movements.Where(m => m.Location.Length > 0).Select(m => new CatalogUnitChange(m.Location, m.OnHand, m.Units, m.Delta, m.Status)).ToList())).ToList(),
            file.Rejected);

    private static int Count(List<SkuPlan> plans, string action) => plans.Count(p => p.Action == action);

    private static string? N(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog import {FileHash}: {Skus} SKU(s); {Applied} location count(s) applied as deltas, {Repeated} already applied, {Failed} failed")]
    private partial void LogApplied(string fileHash, int skus, int applied, int repeated, int failed);

    private sealed record SkuPlan(string Sku, string Action, CatalogItem? Item, IReadOnlyList<CatalogFieldChange> Fields, List<Movement> Movements);

    private sealed record Movement(
        string Sku, string Location, int OnHand, int Units, int Delta, string InstanceId, string Status, bool SetThreshold, int? Threshold, string Hash, bool Retry);
}
