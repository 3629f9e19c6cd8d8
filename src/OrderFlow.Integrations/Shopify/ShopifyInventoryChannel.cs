using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// Shopify as a sales channel, through the GraphQL Admin API (POST /admin/api/{version}/graphql.json with
/// X-Shopify-Access-Token). SKUs resolve to inventory items with a productVariants search (cached); OrderFlow locations
/// map to Shopify locations from configuration. Each batch reads the current "available" quantities and sets the new
/// ones with inventorySetQuantities, using changeFromQuantity as the compare-and-swap guard and an @idempotent key.
/// When Shopify changed a quantity in between (CHANGE_FROM_QUANTITY_STALE), it reads again and sets again: OrderFlow is
/// the source of truth. Other userErrors are reported as <see cref="SalesChannelRejectedException"/>. Throttling (429,
/// THROTTLED) is retried by the HttpClient's pipeline (<see cref="ShopifyRetryPolicy"/>).
/// </summary>
public sealed partial class ShopifyInventoryChannel(
    ShopifyAdminClient admin,
    IOptions<ChannelsOptions> options,
    ILogger<ShopifyInventoryChannel> logger) : ISalesChannel
{
    public const string HttpClientName = ShopifyAdminClient.HttpClientName;
    public const string ChannelName = "Shopify";

    private const int MaxQuantitiesPerMutation = 100;
    private const int SkusPerLookup = 50;
    private const int MaxSetAttempts = 3;
    private const string AvailableName = "available";

    private static readonly string[] RetryableCodes = ["CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE", "IDEMPOTENCY_CONCURRENT_REQUEST"];

    private readonly ConcurrentDictionary<string, string> inventoryItems = new(StringComparer.Ordinal);

    public string Name => ChannelName;

    public async Task PushAsync(IReadOnlyList<ChannelStockLevel> levels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var locations = options.Value.Shopify.LocationMap();

        // Absolute targets per (SKU, Shopify location); OrderFlow locations sharing a Shopify location add up.
        var targets = levels
            .Where(l => locations.ContainsKey(l.Location))
            .GroupBy(l => (l.Sku, LocationId: locations[l.Location]))
            .Select(g => (g.Key.Sku, g.Key.LocationId, Quantity: g.Sum(l => l.Available)))
            .ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var items = await ResolveInventoryItemsAsync(targets.Select(t => t.Sku).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var quantities = targets
            .Where(t => items.ContainsKey(t.Sku))
            .Select(t => new Target(t.Sku, items[t.Sku], t.LocationId, t.Quantity))
            .ToList();
        foreach (var chunk in quantities.Chunk(MaxQuantitiesPerMutation))
        {
            await SetAsync(chunk, cancellationToken);
        }
    }

    /// <summary>Forgets the cached inventory item of <paramref name="sku"/> (for example after Shopify says it no longer exists).</summary>
    public void Forget(string sku) => inventoryItems.TryRemove(sku, out _);

    private async Task SetAsync(IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxSetAttempts; attempt++)
        {
            var current = await ReadAvailableAsync(targets, cancellationToken);
            var changes = new List<(Target Target, int From)>();
            foreach (var target in targets)
            {
                if (!current.TryGetValue((target.InventoryItemId, target.LocationId), out var from))
                {
                    LogNotStocked(target.Sku, target.LocationId);
                }
                else if (from != target.Quantity)
                {
                    changes.Add((target, from));
                }
            }

            if (changes.Count == 0)
            {
                return;
            }

            var errors = await SetQuantitiesAsync(changes, cancellationToken);
            if (errors.Count == 0)
            {
                LogSet(changes.Count, changes[0].Target.Sku);
                return;
            }

            if (!errors.All(e => RetryableCodes.Contains(e.Code)))
            {
                if (errors.Any(e => e.Code == "INVALID_INVENTORY_ITEM"))
                {
                    foreach (var target in targets)
                    {
                        Forget(target.Sku);
                    }
                }

                throw new SalesChannelRejectedException($"Shopify inventorySetQuantities refused the levels: {string.Join("; ", errors)}");
            }

            // Someone (a Shopify order, a staff edit) changed a quantity since we read it. OrderFlow is authoritative.
            LogStale(attempt, string.Join("; ", errors));
        }

        throw new SalesChannelRejectedException($"Shopify quantities kept changing under {MaxSetAttempts} compare-and-swap attempts; the levels stay dirty for the next run.");
    }

    private async Task<IReadOnlyDictionary<string, string>> ResolveInventoryItemsAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var sku in skus)
        {
            if (inventoryItems.TryGetValue(sku, out var id))
            {
                found[sku] = id;
            }
            else
            {
                unknown.Add(sku);
            }
        }

        foreach (var chunk in unknown.Chunk(SkusPerLookup))
        {
            var data = await PostAsync(
                "productVariants",
                """
                query OrderFlowVariantsBySku($query: String!, $first: Int!) {
                  productVariants(first: $first, query: $query) {
                    nodes { sku inventoryItem { id } }
                  }
                }
                """,
                new Dictionary<string, object?> { ["query"] = string.Join(" OR ", chunk.Select(s => "sku:" + Quote(s))), ["first"] = 250 },
                cancellationToken);

            // The search is not exact (prefixes, tokens): keep only variants whose SKU is exactly the one asked for.
            var bySku = data.GetProperty("productVariants").GetProperty("nodes").EnumerateArray()
                .Select(n => (Sku: ShopifyGraphQl.String(n, "sku"), Item: n.TryGetProperty("inventoryItem", out var i) ? ShopifyGraphQl.String(i, "id") : null))
                .Where(v => v.Sku is not null && v.Item is not null && chunk.Contains(v.Sku, StringComparer.Ordinal))
                .GroupBy(v => v.Sku!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(v => v.Item!).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            foreach (var sku in chunk)
            {
                if (!bySku.TryGetValue(sku, out var ids))
                {
                    LogSkuNotInShopify(sku);
                }
                else if (ids.Count > 1)
                {
                    // Two variants share the SKU: giving both the full availability could oversell, so neither is set.
                    LogSkuAmbiguous(sku, ids.Count);
                }
                else
                {
                    found[sku] = inventoryItems[sku] = ids[0];
                }
            }
        }

        return found;
    }

    private async Task<Dictionary<(string Item, string Location), int>> ReadAvailableAsync(IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var locations = targets.Select(t => t.LocationId).Distinct(StringComparer.Ordinal).ToList();
        var query = new StringBuilder("query OrderFlowAvailable($ids: [ID!]!");
        for (var i = 0; i < locations.Count; i++)
        {
            query.Append(CultureInfo.InvariantCulture, $", $l{i}: ID!");
        }

        query.Append(") { nodes(ids: $ids) { ... on InventoryItem { id");
        for (var i = 0; i < locations.Count; i++)
        {
            query.Append(CultureInfo.InvariantCulture, $" l{i}: inventoryLevel(locationId: $l{i}) {{ quantities(names: [\"{AvailableName}\"]) {{ name quantity }} }}");
        }

        query.Append(" } } }");
        var variables = new Dictionary<string, object?> { ["ids"] = targets.Select(t => t.InventoryItemId).Distinct(StringComparer.Ordinal).ToList() };
        for (var i = 0; i < locations.Count; i++)
        {
            variables[$"l{i}"] = locations[i];
        }

        var data = await PostAsync("inventory levels", query.ToString(), variables, cancellationToken);
        var current = new Dictionary<(string, string), int>();
        foreach (var node in data.GetProperty("nodes").EnumerateArray())
        {
            if (ShopifyGraphQl.String(node, "id") is not { } item)
            {
                continue;
            }

            for (var i = 0; i < locations.Count; i++)
            {
                // A null level means the item is not stocked at that location.
                if (node.TryGetProperty($"l{i}", out var level) && level.ValueKind == JsonValueKind.Object)
                {
                    var available = level.GetProperty("quantities").EnumerateArray()
                        .Where(q => ShopifyGraphQl.String(q, "name") == AvailableName)
                        .Select(q => q.GetProperty("quantity").GetInt32())
                        .FirstOrDefault();
                    current[(item, locations[i])] = available;
                }
            }
        }

        return current;
    }

    private async Task<IReadOnlyList<ShopifyUserError>> SetQuantitiesAsync(IReadOnlyList<(Target Target, int From)> changes, CancellationToken cancellationToken)
    {
        // One key per attempt of this exact mutation; the HTTP pipeline's retries resend it unchanged, so Shopify applies it once.
        var idempotencyKey = Guid.CreateVersion7().ToString();
        var data = await PostAsync(
            "inventorySetQuantities",
            $$"""
            mutation OrderFlowSetAvailable($input: InventorySetQuantitiesInput!) {
              inventorySetQuantities(input: $input) @idempotent(key: "{{idempotencyKey}}") {
                inventoryAdjustmentGroup { id }
                userErrors { code field message }
              }
            }
            """,
            new Dictionary<string, object?>
            {
                ["input"] = new
                {
                    name = AvailableName,
                    reason = "correction",
                    referenceDocumentUri = $"gid://orderflow/ChannelSync/{idempotencyKey}",
                    quantities = changes.Select(c => new
                    {
                        inventoryItemId = c.Target.InventoryItemId,
                        locationId = c.Target.LocationId,
                        quantity = c.Target.Quantity,
                        changeFromQuantity = c.From,
                    }).ToList(),
                },
            },
            cancellationToken);

        return ShopifyGraphQl.UserErrors(data.GetProperty("inventorySetQuantities"));
    }

    private Task<JsonElement> PostAsync(string operation, string query, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken) =>
        admin.PostAsync(operation, query, variables, cancellationToken);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private sealed record Target(string Sku, string InventoryItemId, string LocationId, int Quantity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: set available for {Count} item locations (first SKU {Sku})")]
    private partial void LogSet(int count, string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopify: quantities changed since they were read (attempt {Attempt}: {Errors}); reading again and setting OrderFlow's levels")]
    private partial void LogStale(int attempt, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: no variant has SKU {Sku}; not synced")]
    private partial void LogSkuNotInShopify(string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopify: {Count} variants share SKU {Sku}; not synced until the SKU is unique")]
    private partial void LogSkuAmbiguous(string sku, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopify: SKU {Sku} is not stocked at location {LocationId}; not synced there")]
    private partial void LogNotStocked(string sku, string locationId);
}
