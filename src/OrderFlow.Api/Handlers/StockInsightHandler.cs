using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Operator routes (X-Operator-Key) that explain a SKU's stock: GET /api/inventory/{sku}/explain, POST
/// /api/inventory/{sku}/audit (counters against the movement ledger; ?repair=true resets the counters to the ledger),
/// and GET /api/inventory-alerts (recent low-stock alerts with their purchase-order suggestions; ?open=true lists the
/// suggestions no receipt has closed yet, one per SKU, oldest first).
/// </summary>
public sealed partial class StockInsightHandler(
    ICatalog catalog,
    IStockJournal journal,
    IStockAlerts alerts,
    ConsoleHandler console,
    IOptions<InventoryOptions> inventory,
    IOptions<OperationsOptions> operations,
    TimeProvider clock,
    ILogger<StockInsightHandler> logger)
{
    /// <summary>The console page listing open purchase-order suggestions.</summary>
    public const string ReorderConsoleRoute = "console/reorder";

    internal const string ReorderConsolePath = ConsoleHandler.BasePath + "/reorder";

    private const int RecentMovements = 20;

    public async Task<IResult> ExplainAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var item = await InventoryHandler.FindAsync(catalog, sku, cancellationToken);
        if (item is null)
        {
            return Problems.NotFound($"SKU '{sku}' is not in the catalog.");
        }

        var shards = await ShardedStockReader.ReadAsync(workflows, journal, inventory.Value, sku, cancellationToken);
        var stock = ShardedStockReader.Merge(shards);
        var ledger = shards.Count == 1 ? shards[0].Ledger : [.. shards.SelectMany(s => s.Ledger).OrderBy(l => l.At)];
        var policy = OutOfStockPolicies.IsKnown(item.OutOfStockPolicy) ? OutOfStockPolicies.Normalize(item.OutOfStockPolicy!) : inventory.Value.DefaultOutOfStockPolicy;
        var reservations = stock.Reservations.Values.OrderBy(r => r.ExpiresAt).Select(r => new ReservationView(r.OrderId, r.Quantity, r.ExpiresAt, [.. r.Allocations])).ToList();
        var backorders = stock.Backorders.OrderBy(b => b.Sequence).Select((b, i) => new BackorderView(i + 1, b.OrderId, b.Quantity)).ToList();

        return Results.Ok(new StockExplanation(
            sku,
            item.Sellable,
            policy,
            item.SubstituteSku,
            stock.ReorderThreshold ?? item.ReorderThreshold,
            stock.OnHand,
            stock.Reserved,
            stock.Available,
            stock.Locations.ToDictionary(l => l.Key, l => new LocationStockView(l.Value.OnHand, l.Value.Reserved, l.Value.Available), StringComparer.Ordinal),
            reservations,
            backorders,
            [.. ledger.TakeLast(RecentMovements)],
            [.. Explain(item.Sellable, stock, reservations, backorders, policy, clock.GetUtcNow()), .. ExplainShards(shards, inventory.Value, sku)]));
    }

    public async Task<IResult> AuditAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        if (await InventoryHandler.FindAsync(catalog, sku, cancellationToken) is null)
        {
            return Problems.NotFound($"SKU '{sku}' is not in the catalog.");
        }

        var repair = string.Equals(request.Query["repair"], "true", StringComparison.OrdinalIgnoreCase);
        var shards = await ShardedStockReader.ReadAsync(workflows, journal, inventory.Value, sku, cancellationToken);
        int pending = 0, counted = 0, drifted = 0;
        var audits = new List<LocationAudit>();
        var repaired = false;

        // Each shard (a split SKU's entities, or the SKU's one entity) is audited against its own ledger rows.
        foreach (var (key, stock, rows) in shards)
        {
            // Movements numbered past the entity's saved sequence belong to an operation it has not saved yet: running now, or
            // to be run again after a restart (which writes the same rows). They are reported, not counted.
            pending += rows.Count(l => l.Movement.Sequence > stock.Sequence);
            var ledger = rows.Where(l => l.Movement.Sequence <= stock.Sequence).ToList();
            counted += ledger.Count;
            var locations = Audit(stock, ledger);
            audits.AddRange(locations);
            var drift = locations.Count(l => l.Drift);
            drifted += drift;
            if (drift > 0 && repair)
            {
                var counters = locations.ToDictionary(l => l.Location, l => new LocationCounters(l.LedgerOnHand, l.LedgerReserved), StringComparer.Ordinal);
                var instanceId = $"stock-repair-{key}-{clock.GetUtcNow().UtcTicks}-{Guid.NewGuid():N}";
                await workflows.StartAsync(nameof(StockRepairOrchestrator), instanceId, new StockRepair(key, counters), cancellationToken);
                var status = await workflows.WaitForCompletionAsync(instanceId, TimeSpan.FromSeconds(30), cancellationToken);
                if (status is not { RuntimeStatus: "Completed" })
                {
                    return Problems.Unavailable($"Repair {instanceId} is still {status?.RuntimeStatus ?? "unknown"}; it will apply when the engine processes it.");
                }

                repaired = true;
                LogRepaired(logger, key, drift);
            }
            else if (drift > 0)
            {
                LogDrift(logger, key, drift);
            }
        }

        // One row per location for the SKU: the shards' figures summed (a shard that drifted is flagged by the sums or by drift).
        var summed = audits.GroupBy(a => a.Location, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Single() : new LocationAudit(
                g.Key, g.Sum(a => a.OnHand), g.Sum(a => a.LedgerOnHand), g.Sum(a => a.Reserved), g.Sum(a => a.LedgerReserved), g.Sum(a => a.ReservedByOrders)))
            .ToList();
        return Results.Ok(new StockAudit(sku, counted, drifted > 0, repaired, summed, pending));
    }

    /// <summary>For a SKU split across shards: where its available units are, how orders find them, and who split it.</summary>
    private static IEnumerable<string> ExplainShards(IReadOnlyList<StockShard> shards, InventoryOptions options, string sku)
    {
        var c = CultureInfo.InvariantCulture;
        var automatic = options.SplitSkus.ContainsKey(sku) ? null : options.AutomaticSplits.Find(sku);
        if (shards.Count > 1)
        {
            var available = string.Join(", ", shards.Select(s => s.Key + " " + s.Stock.Available.ToString(c)));
            var by = automatic is null ? "Inventory:SplitSkus" : "Inventory:AutoSplit";
            yield return "Stock is split across " + shards.Count.ToString(c) + " entities (" + by + "), available: " + available + ". "
                + "An order reserves at the shard its id picks, tries the others, and gathers every shard's units here before a shortage counts.";
        }

        if (automatic is { IsOn: true })
        {
            yield return "Split automatically into " + automatic.Shards.ToString(c) + " shards since " + automatic.Since.ToString("u", c) + " ("
                + automatic.RatePerMinute.ToString(c) + " reservations/min)"
                + (automatic.QuietSince is { } quiet ? "; quiet since " + quiet.ToString("u", c) + ", set back to one entity after Inventory:AutoSplit:OffAfter." : ".");
        }
        else if (automatic is not null)
        {
            yield return "The automatic split was switched off " + automatic.Since.ToString("u", c) + " (" + automatic.RatePerMinute.ToString(c)
                + " reservations/min); its shards are read until they are empty (their available units go home on the reaper's pass).";
        }
    }

    public async Task<IResult> AlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        if (string.Equals(request.Query["open"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Ok(await OpenSuggestionsAsync(cancellationToken));
        }

        return Results.Ok(await alerts.ListAsync(100, cancellationToken));
    }

    /// <summary>Open purchase-order suggestions (alerts no receipt has closed), one per SKU, oldest first; at most <see cref="MaxOpenSuggestions"/>.</summary>
    public async Task<IReadOnlyList<StockAlertRecord>> OpenSuggestionsAsync(CancellationToken cancellationToken) =>
        [.. StockAlertRecord.OpenSuggestions(await alerts.ListAsync(int.MaxValue, cancellationToken)).Take(MaxOpenSuggestions)];

    public const int MaxOpenSuggestions = 500;

    /// <summary>
    /// The console's reorder page: every open purchase-order suggestion (a low-stock alert no receipt has closed), oldest
    /// first, with the quantity, how it was worked out and whether purchasing was emailed.
    /// </summary>
    public async Task<IResult> ReorderPageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        var open = await OpenSuggestionsAsync(cancellationToken);
        var page = ConsoleHandler.Page("Reorder suggestions");
        page.Paragraph(open.Count == 0
            ? "No open suggestions: every SKU that fell below its reorder threshold has had a receipt since."
            : $"{open.Count} SKU(s) below their reorder threshold with no receipt since, oldest first{(open.Count == MaxOpenSuggestions ? $" (the first {MaxOpenSuggestions})" : string.Empty)}. "
                + "Posting a receipt (POST /api/inventory/{sku}/movements, reason \"received\") closes a SKU's suggestion.");
        if (open.Count > 0)
        {
            var c = CultureInfo.InvariantCulture;
            var table = new StringBuilder("<table><tr><th>SKU</th><th>available at alert</th><th>threshold</th><th>suggested order</th><th>how</th><th>raised</th><th>purchasing</th></tr>");
            foreach (var a in open)
            {
                var emailed = a.NotifyError is { } error ? $"email failed: {error}" : a.NotifiedAt is { } at ? $"told {at.ToString("u", c)}" : "not told yet";
                table.Append("<tr><td><a href=\"").Append(HtmlPage.Encode(ConsoleHandler.InventoryPath(a.Sku))).Append("\">").Append(HtmlPage.Encode(a.Sku)).Append("</a></td><td>")
                    .Append(a.Available.ToString(c)).Append("</td><td>").Append(a.Threshold.ToString(c)).Append("</td><td>")
                    .Append(a.SuggestedQuantity is { } quantity ? quantity.ToString(c) : "pending").Append("</td><td>")
                    .Append(HtmlPage.Encode(a.Suggestion ?? "Worked out when purchasing is told.")).Append("</td><td>")
                    .Append(a.RaisedAt.ToString("u", c)).Append("</td><td>").Append(HtmlPage.Encode(emailed)).Append("</td></tr>");
            }

            page.Heading("Open suggestions").Markup(table.Append("</table>").ToString());
        }

        return page;
    }

    /// <summary>Counters, ledger sums and the sum of the reservations held, per location.</summary>
    public static IReadOnlyList<LocationAudit> Audit(SkuInventory stock, IReadOnlyList<StockLedgerLine> ledger)
    {
        ArgumentNullException.ThrowIfNull(stock);
        ArgumentNullException.ThrowIfNull(ledger);
        var names = stock.Locations.Keys.Union(ledger.Select(l => l.Movement.Location), StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return names.Select(location =>
        {
            var counters = stock.Locations.GetValueOrDefault(location) ?? new LocationStock();
            var moves = ledger.Where(l => l.Movement.Location == location).ToList();
            var byOrders = stock.Reservations.Values.SelectMany(r => r.Allocations).Where(a => a.Location == location).Sum(a => a.Quantity);
            return new LocationAudit(location, counters.OnHand, moves.Sum(m => m.Movement.OnHandDelta), counters.Reserved, moves.Sum(m => m.Movement.ReservedDelta), byOrders);
        }).ToList();
    }

    private static List<string> Explain(
        bool sellable, SkuInventory stock, IReadOnlyList<ReservationView> reservations, IReadOnlyList<BackorderView> backorders, string policy, DateTimeOffset now)
    {
        var lines = new List<string>();
        if (!sellable)
        {
            lines.Add("The catalog marks this SKU as not sellable: orders for it fail validation whatever the stock.");
        }

        if (stock.Locations.Count == 0)
        {
            lines.Add("No stock was ever counted for this SKU (PUT /api/inventory/{sku} sets on-hand per location).");
        }

        foreach (var (location, counters) in stock.Locations.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{location}: {counters.OnHand} on hand, {counters.Reserved} reserved, {Math.Max(counters.Available, 0)} available."));
        }

        if (reservations.Count > 0)
        {
            var expired = reservations.Count(r => r.ExpiresAt <= now);
            var tail = expired > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {expired} hold(s) are past their expiry and go to the reaper if their order no longer runs.")
                : ".";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{stock.Reserved} unit(s) are held by {reservations.Count} order(s) until they ship or are released{tail}"));
        }

        if (backorders.Count > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{backorders.Sum(b => b.Quantity)} unit(s) are backordered by {backorders.Count} order(s); the next units received go to them first (oldest first)."));
        }

        if (stock.Available == 0)
        {
            lines.Add($"Nothing is available: a new order follows the {policy} out-of-stock policy.");
        }

        if (stock.ReorderThreshold is { } threshold && stock.Available < threshold)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Available is below the reorder threshold of {threshold}: purchasing was alerted when it crossed."));
        }

        return lines;
    }

    [LoggerMessage(LogLevel.Warning, "Stock of {Sku} drifted from its ledger at {Locations} location(s); counters reset to the ledger")]
    private static partial void LogRepaired(ILogger logger, string sku, int locations);

    [LoggerMessage(LogLevel.Warning, "Stock of {Sku} drifted from its ledger at {Locations} location(s); not repaired (audit without ?repair=true)")]
    private static partial void LogDrift(ILogger logger, string sku, int locations);
}
