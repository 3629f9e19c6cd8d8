using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// PUT/GET /api/inventory/{sku}: stock a SKU per location (through its entity) and read it back. Both routes are
/// operator routes behind X-Operator-Key (<see cref="OperatorKey"/>).
/// </summary>
public sealed class InventoryHandler(
    ICatalog catalog, IOptions<OperationsOptions> operations, TimeProvider clock, ILogger<InventoryHandler> logger, IOptions<InventoryOptions>? inventory = null)
{
    /// <summary>Most units of one SKU a stock count may set (the entity keeps counts in an int).</summary>
    public const int MaxUnitsPerSku = 1_000_000_000;

    /// <summary>Longest location name.</summary>
    public const int MaxLocationLength = 100;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public async Task<IResult> PutAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        if (!IsValidSku(sku))
        {
            return Problems.BadRequest("SKU must be 1-100 characters without / \\ # ? or control characters.");
        }

        StockUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<StockUpdate>(request.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (update?.Locations is not { Count: > 0 } locations)
        {
            return Problems.BadRequest("Body must have \"locations\": an object of location -> on-hand units, e.g. {\"locations\":{\"WH-EAST\":10}}.");
        }

        var bad = locations.FirstOrDefault(l => string.IsNullOrWhiteSpace(l.Key) || l.Value < 0);
        if (bad.Key is not null)
        {
            return Problems.Unprocessable($"Location '{bad.Key}' has {bad.Value} units; locations need a name and a count of 0 or more.");
        }

        if (locations.Keys.FirstOrDefault(name => !IsValidLocation(name)) is { } badName)
        {
            return Problems.Unprocessable($"locations: a location name is {badName.Length} characters; names must be 1-{MaxLocationLength} characters without / \\ # ? or control characters.");
        }

        // The entity sums a SKU's locations in an int; refuse here what would overflow there after "will apply".
        if (locations.Values.Sum(v => (long)v) is > MaxUnitsPerSku and var units)
        {
            return Problems.Unprocessable($"locations: {units} units in all; at most {MaxUnitsPerSku} units of one SKU are accepted.");
        }

        if (CatalogFieldProblem(sku, update.ReorderThreshold, update.OutOfStockPolicy, update.SubstituteSku, update.DownloadUrl) is { } fieldProblem)
        {
            return Problems.Unprocessable(fieldProblem);
        }

        var existing = await catalog.GetAsync(sku, cancellationToken);
        var digital = update.Digital ?? existing?.Digital ?? false;
        var downloadUrl = update.DownloadUrl ?? existing?.DownloadUrl;
        if (digital && downloadUrl is null)
        {
            return Problems.Unprocessable("A digital product needs a downloadUrl: the page the customer gets instead of a parcel.");
        }

        await catalog.UpsertAsync(
            new CatalogItem(
                sku,
                update.Title ?? existing?.Title ?? sku,
                update.Sellable ?? existing?.Sellable ?? true,
                update.OutOfStockPolicy is { } p ? OutOfStockPolicies.Normalize(p) : existing?.OutOfStockPolicy,
                update.SubstituteSku ?? existing?.SubstituteSku,
                update.ReorderThreshold ?? existing?.ReorderThreshold,
                digital,
                downloadUrl),
            cancellationToken);

        var instanceId = $"stock-{sku}-{clock.GetUtcNow().UtcTicks}-{Guid.NewGuid():N}";
        var adjustment = new StockAdjustment(
            sku, locations, "api", "stock count", SetReorderThreshold: update.ReorderThreshold is not null, ReorderThreshold: update.ReorderThreshold, Shards: inventory?.Value.ShardsOf(sku) ?? 1);
        await workflows.StartAsync(nameof(StockAdjustmentOrchestrator), instanceId, adjustment, cancellationToken);
        var status = await workflows.WaitForCompletionAsync(instanceId, Wait, cancellationToken);
        if (status is not { RuntimeStatus: "Completed" })
        {
            return Problems.Unavailable($"Stock change {instanceId} is still {status?.RuntimeStatus ?? "unknown"}; it will apply when the engine processes it.");
        }

        logger.LogInformation("Stock of {Sku} set at {Locations} location(s)", sku, locations.Count);
        return Results.Ok(WholeSkuStock.MayBeSplit(inventory?.Value, sku)
            ? StockView.Of(sku, await WholeSkuStock.ReadAsync(workflows, inventory?.Value, sku, cancellationToken))
            : WorkflowJson.Read<StockView>(status.Output));
    }

    public async Task<IResult> GetAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var (known, view) = await ReadAsync(sku, workflows, cancellationToken);
        if (!known)
        {
            return Problems.NotFound($"SKU '{sku}' is not in the catalog.");
        }

        return view is not null
            ? Results.Ok(view)
            : Problems.Unavailable($"Stock query for '{sku}' did not complete in time.");
    }

    /// <summary>
    /// The SKU's stock through its entity (a split SKU's: its own entity and its shards summed, <see cref="WholeSkuStock"/>):
    /// Known is false for a SKU not in the catalog; View is null when the query timed out.
    /// </summary>
    public async Task<(bool Known, StockView? View)> ReadAsync(string sku, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (await FindAsync(catalog, sku, cancellationToken) is null)
        {
            return (false, null);
        }

        if (WholeSkuStock.MayBeSplit(inventory?.Value, sku))
        {
            return (true, StockView.Of(sku, await WholeSkuStock.ReadAsync(workflows, inventory?.Value, sku, cancellationToken)));
        }

        var instanceId = $"stock-query-{sku}-{clock.GetUtcNow().UtcTicks}-{Guid.NewGuid():N}";
        await workflows.StartAsync(nameof(StockQueryOrchestrator), instanceId, sku, cancellationToken);
        var status = await workflows.WaitForCompletionAsync(instanceId, Wait, cancellationToken);
        return status is { RuntimeStatus: "Completed" } ? (true, WorkflowJson.Read<StockView>(status.Output)) : (true, null);
    }

    /// <summary>The catalog item of a well-formed SKU; null for an unknown or malformed one (the routes answer 404).</summary>
    internal static async Task<CatalogItem?> FindAsync(ICatalog catalog, string sku, CancellationToken cancellationToken) =>
        IsValidSku(sku) ? await catalog.GetAsync(sku, cancellationToken) : null;

    internal static bool IsValidSku(string sku) => IsValidKey(sku, 100);

    /// <summary>A location name the stock entity accepts: 1-<see cref="MaxLocationLength"/> characters without / \ # ? or control characters.</summary>
    internal static bool IsValidLocation(string location) => IsValidKey(location, MaxLocationLength);

    /// <summary>
    /// What is wrong with a SKU's catalog fields (the PUT body's names), or null: a negative threshold, an unknown
    /// policy, a substitute that is not another valid SKU, a download URL that is not absolute https. The catalog CSV
    /// import checks its cells with the same rules.
    /// </summary>
    internal static string? CatalogFieldProblem(string sku, int? reorderThreshold, string? outOfStockPolicy, string? substituteSku, string? downloadUrl)
    {
        if (reorderThreshold is < 0)
        {
            return "reorderThreshold must be 0 or more units.";
        }

        if (outOfStockPolicy is { } policy && !OutOfStockPolicies.IsKnown(policy))
        {
            return $"outOfStockPolicy '{policy}' is not one of {string.Join(", ", OutOfStockPolicies.All)}.";
        }

        if (substituteSku is { } substitute && (!IsValidSku(substitute) || substitute == sku))
        {
            return "substituteSku must be another valid SKU.";
        }

        return downloadUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var download) && download.Scheme == Uri.UriSchemeHttps)
            ? "downloadUrl must be an absolute https URL."
            : null;
    }

    private static bool IsValidKey(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && !value.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?');
}
