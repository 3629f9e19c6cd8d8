using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// WooCommerce as a sales channel, through the REST API v3 with HTTP Basic auth (consumer key and secret, over https).
/// WooCommerce keeps one stock number per product or variation, so the channel sets the SUM of available units over
/// all OrderFlow locations. A SKU resolves with GET products?sku= (a variation's SKU answers the variation, type
/// "variation" with its parent_id; cached); quantities are set with POST products/batch and
/// products/{parent_id}/variations/batch (manage_stock true, absolute stock_quantity, at most 100 items per call).
/// Per-item errors in a batch answer are reported as <see cref="SalesChannelRejectedException"/> naming the SKUs;
/// 429 and transient faults are retried by the HttpClient's pipeline (<see cref="WooCommerceRetryPolicy"/>).
/// </summary>
public sealed partial class WooCommerceInventoryChannel(
    WooCommerceRestClient rest,
    ILogger<WooCommerceInventoryChannel> logger) : ISalesChannel
{
    public const string HttpClientName = WooCommerceRestClient.HttpClientName;
    public const string ChannelName = "WooCommerce";

    /// <summary>WooCommerce's limit of objects per batch request.</summary>
    public const int MaxItemsPerBatch = 100;

    private readonly ConcurrentDictionary<string, WooItem> items = new(StringComparer.Ordinal);

    public string Name => ChannelName;

    public async Task PushAsync(IReadOnlyList<ChannelStockLevel> levels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(levels);

        // One stock number per product or variation: the sum over OrderFlow locations (never below zero).
        var totals = levels
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: Math.Max(0, g.Sum(l => l.Available))))
            .ToList();
        if (totals.Count == 0)
        {
            return;
        }

        var targets = new List<(string Sku, WooItem Item, int Quantity)>();
        foreach (var (sku, quantity) in totals)
        {
            if (await ResolveAsync(sku, cancellationToken) is { } item)
            {
                targets.Add((sku, item, quantity));
            }
        }

        var rejected = new List<string>();
        foreach (var group in targets.GroupBy(t => t.Item.ParentId))
        {
            var path = group.Key is { } parent
                ? string.Create(CultureInfo.InvariantCulture, $"products/{parent}/variations/batch")
                : "products/batch";
            foreach (var chunk in group.Chunk(MaxItemsPerBatch))
            {
                rejected.AddRange(await UpdateAsync(path, chunk, cancellationToken));
            }
        }

        if (rejected.Count > 0)
        {
            throw new SalesChannelRejectedException($"WooCommerce refused the stock of {rejected.Count} SKU(s): {string.Join("; ", rejected)}");
        }
    }

    /// <summary>Forgets the cached product or variation of <paramref name="sku"/>.</summary>
    public void Forget(string sku) => items.TryRemove(sku, out _);

    private async Task<IReadOnlyList<string>> UpdateAsync(string path, IReadOnlyList<(string Sku, WooItem Item, int Quantity)> chunk, CancellationToken cancellationToken)
    {
        var body = new
        {
            update = chunk.Select(t => new { id = t.Item.Id, manage_stock = true, stock_quantity = t.Quantity }).ToList(),
        };
        using var document = await SendAsync(HttpMethod.Post, path, JsonContent.Create(body), "batch update", cancellationToken);

        var skuById = chunk.ToDictionary(t => t.Item.Id, t => t.Sku);
        var rejected = new List<string>();
        var answered = new HashSet<long>();
        if (document.RootElement.TryGetProperty("update", out var updated) && updated.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in updated.EnumerateArray())
            {
                var id = item.TryGetProperty("id", out var idValue) && idValue.TryGetInt64(out var parsed) ? parsed : 0;
                if (item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var sku = skuById.TryGetValue(id, out var known) ? known : $"id {id}";
                    Forget(sku);
                    rejected.Add($"{sku}: {Text(error, "code")} {Text(error, "message")}".TrimEnd());
                }
                else if (id != 0)
                {
                    answered.Add(id);
                }
            }
        }

        // An error item may carry id 0; every other SKU of the chunk went through unless WooCommerce named it.
        var done = chunk.Count(t => answered.Contains(t.Item.Id));
        if (done > 0)
        {
            LogSet(done, chunk[0].Sku);
        }

        return rejected;
    }

    private async Task<WooItem?> ResolveAsync(string sku, CancellationToken cancellationToken)
    {
        if (items.TryGetValue(sku, out var cached))
        {
            return cached;
        }

        using var document = await SendAsync(HttpMethod.Get, $"products?sku={Uri.EscapeDataString(sku)}", null, "product lookup", cancellationToken);
        var matches = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
                .Where(p => string.Equals(Text(p, "sku"), sku, StringComparison.Ordinal))
                .Select(p => new WooItem(
                    p.GetProperty("id").GetInt64(),
                    Text(p, "type") == "variation" && p.TryGetProperty("parent_id", out var parent) && parent.TryGetInt64(out var parentId) && parentId > 0 ? parentId : null))
                .ToList()
            : [];
        switch (matches.Count)
        {
            case 0:
                LogSkuNotInWooCommerce(sku);
                return null;
            case > 1:
                // Giving every product the full availability could oversell, so none is set.
                LogSkuAmbiguous(sku, matches.Count);
                return null;
            default:
                return items[sku] = matches[0];
        }
    }

    private Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken) =>
        rest.SendAsync(method, path, content, operation, cancellationToken);

    private static string? Text(JsonElement element, string name) => WooCommerceRestClient.Text(element, name);

    private sealed record WooItem(long Id, long? ParentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce: set stock_quantity of {Count} products or variations (first SKU {Sku})")]
    private partial void LogSet(int count, string sku);

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce: no product or variation has SKU {Sku}; not synced")]
    private partial void LogSkuNotInWooCommerce(string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WooCommerce: {Count} products share SKU {Sku}; not synced until the SKU is unique")]
    private partial void LogSkuAmbiguous(string sku, int count);
}
