using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Testing;

namespace OrderFlow.Soak;

/// <summary>Checks and prints every invariant with its figure; false when one failed.</summary>
public sealed class Invariants(Sender api, Observer observer, string connectionString, TestSmtpServer smtp)
{
    private static readonly HashSet<string> ShippedStatuses = new(StringComparer.Ordinal) { "shipped", "in-transit", "out-for-delivery", "delivered", "delivery-exception" };
    private static readonly TimeSpan ProgressTarget = TimeSpan.FromSeconds(30);
    private readonly List<(string Name, string Figure, bool Ok)> rows = [];
    private readonly List<string> details = [];

    public async Task<bool> CheckAsync(SoakFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var accepted = facts.Orders.Where(o => o.Accepted(api)).ToList();
        var views = accepted.Select(o => (Order: o, Json: observer.Latest.TryGetValue(o.OrderId, out var s) ? s.Json : null)).ToList();
        var completed = views.Count(v => observer.Latest.TryGetValue(v.Order.OrderId, out var s) && s.Completed);
        var unsettled = accepted.Where(o => !observer.Settled(o.OrderId)).ToList();
        var withCase = accepted.Count(o => observer.OpenCases.Contains(o.OrderId) && !(observer.Latest.TryGetValue(o.OrderId, out var s) && s.Completed));
        var stuck = accepted.Count(o => observer.StuckOnly.Contains(o.OrderId) && !(observer.Latest.TryGetValue(o.OrderId, out var s) && s.Completed));
        this.Row(
            "accepted orders completed or with an open case",
            $"{accepted.Count - unsettled.Count}/{accepted.Count} ({completed} completed, {withCase} with an open case, of which {stuck} only the watchdog's Stuck case)",
            unsettled.Count == 0);
        // Every run reports the inventory entities' locks: a wedged one is an engine defect even when the watchdog's
        // Stuck cases got its orders to a person.
        await this.EntityLocksAsync(all: unsettled.Count > 0);

        this.Detail("not settled", unsettled.Select(o => observer.Latest.TryGetValue(o.OrderId, out var s) ? $"{o.OrderId} {s.Status}/{s.RuntimeStatus}/{s.Step}" : $"{o.OrderId} (never seen)"));

        // Shipments per order, units shipped per SKU.
        var shipments = new Dictionary<string, int>(StringComparer.Ordinal);
        var shippedUnits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (order, json) in views.Where(v => v.Json is not null))
        {
            using var doc = JsonDocument.Parse(json!);
            foreach (var f in doc.RootElement.GetProperty("fulfillments").EnumerateArray().Where(f => ShippedStatuses.Contains(f.GetProperty("status").GetString() ?? string.Empty)))
            {
                shipments[order.OrderId] = shipments.GetValueOrDefault(order.OrderId) + 1;
                foreach (var line in f.GetProperty("lines").EnumerateArray())
                {
                    var sku = line.GetProperty("sku").GetString()!;
                    shippedUnits[sku] = shippedUnits.GetValueOrDefault(sku) + line.GetProperty("quantity").GetInt32();
                }
            }
        }

        await this.StockAsync(facts, shippedUnits);
        var tables = new TableServiceClient(connectionString);
        await this.PaymentsAsync(tables, accepted, shipments);
        this.Emails();
        await this.AccountingAsync(tables);
        await this.DeliveriesAsync(tables, facts, accepted);
        this.Progress(facts);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"orders sent {facts.Orders.Count}, accepted {accepted.Count}, completed {completed}, cancel requests {facts.Orders.Count(o => o.CancelRequested)}; " +
            $"host restarts {facts.Restarts} ({facts.Kills} SIGKILL, {facts.Crashes} exited on their own); Azurite restarts {facts.AzuriteRestarts}; " +
            $"faults injected {facts.FaultsInjected}; deliveries: good {api.GoodSent} answered, bad {api.BadSent} answered, {api.Retries} retried after 5xx/429/no answer"));
        Console.WriteLine();
        var width = rows.Max(r => r.Name.Length);
        foreach (var (name, figure, ok) in rows)
        {
            Console.WriteLine($"{(ok ? "PASS" : "FAIL")}  {name.PadRight(width)}  {figure}");
        }

        foreach (var line in details)
        {
            Console.WriteLine(line);
        }

        var failed = rows.Count(r => !r.Ok);
        Console.WriteLine(failed == 0 ? "soak: every invariant held" : $"soak: {failed} invariant(s) FAILED");
        return failed == 0;
    }

    /// <summary>
    /// Each inventory entity's lock holder and queue, from the task hub's Instances table (every entity when orders did
    /// not settle, else only wedged ones). Flags an entity whose lock holder's own request waits in its queue behind another
    /// orchestration's: the engine only takes requests from the head of the queue, so that entity never moves again.
    /// </summary>
    private async Task EntityLocksAsync(bool all)
    {
        var instances = new TableServiceClient(connectionString).GetTableClient($"{SoakRun.TaskHub}Instances");
        var lines = new List<string>();
        try
        {
            await foreach (var e in instances.QueryAsync<TableEntity>(x => x.PartitionKey.CompareTo("@inventoryentity@") >= 0 && x.PartitionKey.CompareTo("@inventoryentity@~") < 0))
            {
                var input = e.GetString("Input") ?? "{}";
                if (!input.TrimStart().StartsWith('{'))
                {
                    // A large scheduler state (a long queue) is kept in a blob; the reaper's check reads it through the engine.
                    lines.Add($"{e.PartitionKey}: state kept in a blob (long queue), not read here");
                    continue;
                }

                using var state = JsonDocument.Parse(input);
                var root = state.RootElement;
                var lockedBy = root.TryGetProperty("lockedBy", out var l) ? l.GetString() : null;
                var queue = root.TryGetProperty("queue", out var q) ? q.EnumerateArray().Select(m => m.TryGetProperty("parent", out var p) ? p.GetString() : null).ToList() : [];
                var holderAt = lockedBy is null ? -1 : queue.IndexOf(lockedBy);
                var wedged = holderAt > 0;
                if (!all && !wedged)
                {
                    continue;
                }

                lines.Add($"{e.PartitionKey}: locked by {lockedBy ?? "nobody"}, {queue.Count} queued" +
                    (wedged ? $"; WEDGED: the lock holder's own request is queued at position {holderAt + 1} behind {queue[0]}" : string.Empty));
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            lines.Add($"could not read the task hub: {ex.Message}");
        }

        this.Detail("inventory entity", lines, all: true);
    }

    private async Task StockAsync(SoakFacts facts, Dictionary<string, int> shippedUnits)
    {
        var oversold = 0;
        var drift = new List<string>();
        var negative = new List<string>();
        var pending = 0;
        foreach (var (sku, (location, units)) in facts.Stock)
        {
            oversold += Math.Max(0, shippedUnits.GetValueOrDefault(sku) - units);
            var audit = await api.OperatorAsync(HttpMethod.Post, $"/api/inventory/{sku}/audit", null, CancellationToken.None);
            if (audit is not (200, var auditJson))
            {
                drift.Add($"{sku}: audit answered {audit?.Status.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
                continue;
            }

            using var doc = JsonDocument.Parse(auditJson);
            pending += doc.RootElement.TryGetProperty("pendingMovements", out var p) ? p.GetInt32() : 0;
            foreach (var l in doc.RootElement.GetProperty("locations").EnumerateArray())
            {
                int I(string name) => l.GetProperty(name).GetInt32();
                var where = $"{sku}@{l.GetProperty("location").GetString()}";
                if (l.GetProperty("drift").GetBoolean())
                {
                    drift.Add($"{where}: onHand {I("onHand")} vs ledger {I("ledgerOnHand")}, reserved {I("reserved")} vs ledger {I("ledgerReserved")} vs orders {I("reservedByOrders")}");
                }

                if (I("onHand") < 0 || I("reserved") < 0 || I("onHand") - I("reserved") < 0)
                {
                    negative.Add($"{where}: onHand {I("onHand")}, reserved {I("reserved")}");
                }
            }
        }

        var scarce = string.Join(", ", facts.Stock.Where(s => s.Value.Units < 1000).Select(s => $"{s.Key} {shippedUnits.GetValueOrDefault(s.Key)}/{s.Value.Units} shipped"));
        this.Row("oversold units", $"{oversold} ({scarce})", oversold == 0);
        this.Row("ledger == counters (every SKU and location)", (drift.Count == 0 ? "no drift" : $"{drift.Count} drifting") + $" ({pending} movement(s) of operations still running, not counted)", drift.Count == 0);
        this.Detail("drift", drift);
        this.Row("negative counters", negative.Count.ToString(CultureInfo.InvariantCulture), negative.Count == 0);
        this.Detail("negative", negative);
    }

    /// <summary>The order's shipped fulfillments as the host answers now; null when it does not answer.</summary>
    private async Task<int?> ShippedNowAsync(string orderId)
    {
        if (await api.GetAsync($"/api/orders/{Uri.EscapeDataString(orderId)}", CancellationToken.None) is not (200, var json))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("fulfillments").EnumerateArray().Count(f => ShippedStatuses.Contains(f.GetProperty("status").GetString() ?? string.Empty));
    }

    private async Task PaymentsAsync(TableServiceClient tables, IReadOnlyList<PlacedOrder> accepted, Dictionary<string, int> shipments)
    {
        var rowsByIntent = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var e in tables.GetTableClient(TableNames.SandboxPayments).QueryAsync<TableEntity>())
        {
            var intent = e.GetString("PaymentReference") ?? string.Empty;
            (rowsByIntent.TryGetValue(intent, out var list) ? list : rowsByIntent[intent] = []).Add(e);
        }

        int captures = 0, charges = 0, refunds = 0;
        var overCaptured = new List<string>();
        var overRefunded = new List<string>();
        foreach (var order in accepted)
        {
            var rows = rowsByIntent.GetValueOrDefault(order.PaymentIntent) ?? [];
            var orderCaptures = rows.Count(r => r.RowKey.StartsWith("capture|", StringComparison.Ordinal));
            var orderCharges = rows.Count(r => r.RowKey == "charge");
            captures += orderCaptures;
            charges += orderCharges;
            refunds += rows.Count(r => r.RowKey.StartsWith("refund|", StringComparison.Ordinal));
            if (orderCaptures > shipments.GetValueOrDefault(order.OrderId) && await this.ShippedNowAsync(order.OrderId) is { } now)
            {
                // Read after the payment book: an order a watchdog Stuck case holds keeps running, and may have shipped since
                // it was read for the other checks.
                shipments[order.OrderId] = now;
            }

            if (orderCaptures > shipments.GetValueOrDefault(order.OrderId) || orderCharges > 1)
            {
                overCaptured.Add($"{order.OrderId}: {orderCaptures} captures, {orderCharges} charges, {shipments.GetValueOrDefault(order.OrderId)} shipments");
            }

            var collected = rows.Where(r => !r.RowKey.StartsWith("refund|", StringComparison.Ordinal)).Sum(r => r.GetInt64("AmountMinor") ?? 0);
            var refunded = rows.Where(r => r.RowKey.StartsWith("refund|", StringComparison.Ordinal)).Sum(r => r.GetInt64("AmountMinor") ?? 0);
            if (refunded > collected)
            {
                overRefunded.Add($"{order.OrderId}: refunded {refunded} > collected {collected}");
            }
        }

        this.Row("captures per order <= shipments (charges <= 1)", $"{captures} captures over {shipments.Values.Sum()} shipments, {charges} charges; {overCaptured.Count} orders over", overCaptured.Count == 0);
        this.Detail("over-captured", overCaptured);
        this.Row("refunds <= captured amount", $"{refunds} refunds; {overRefunded.Count} orders over", overRefunded.Count == 0);
        this.Detail("over-refunded", overRefunded);
    }

    private void Emails()
    {
        var messages = smtp.Messages;
        var byKey = messages
            .Select(m => (Key: m.Headers[SmtpEmailSender.NotificationKeyHeader], m.MessageId))
            .Where(m => !string.IsNullOrEmpty(m.Key))
            .GroupBy(m => m.Key, StringComparer.Ordinal)
            .ToList();
        var distinct = byKey.Where(g => g.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count() > 1).Select(g => g.Key!).ToList();
        var resent = byKey.Where(g => g.Count() > 1).ToList();
        this.Row(
            "emails per (order, milestone, shipment) <= 1",
            $"{messages.Count} emails, {byKey.Count} notifications, max {(byKey.Count == 0 ? 0 : byKey.Max(g => g.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count()))} distinct per notification; " +
            $"{resent.Count} resent under the same Message-Id ({resent.Sum(g => g.Count() - 1)} copies: SMTP answer lost or host killed between send and mark)",
            distinct.Count == 0);
        this.Detail("notification with two Message-Ids", distinct);
    }

    private async Task AccountingAsync(TableServiceClient tables)
    {
        var documents = new List<(string Order, string Kind)>();
        await foreach (var e in tables.GetTableClient(TableNames.Ledger).QueryAsync<TableEntity>())
        {
            documents.Add((e.GetString("OrderId") ?? e.PartitionKey, e.GetString("Kind") ?? "?"));
        }

        var doubled = documents.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => $"{g.Key.Order} {g.Key.Kind} x{g.Count()}").ToList();
        this.Row("accounting documents per (order, kind) <= 1", $"{documents.Count} documents, {doubled.Count} doubled", doubled.Count == 0);
        this.Detail("doubled", doubled);
    }

    private async Task DeliveriesAsync(TableServiceClient tables, SoakFacts facts, IReadOnlyList<PlacedOrder> accepted)
    {
        // Bad deliveries: none answered 2xx, no forged order exists, no forged Stripe event recorded as accepted.
        var stripeAccepted = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in tables.GetTableClient(TableNames.Deliveries).QueryAsync<TableEntity>(e => e.GetString("Source") == "stripe"))
        {
            if (e.GetString("Outcome") == "accepted")
            {
                stripeAccepted.Add(e.GetString("DeliveryId") ?? string.Empty);
            }
        }

        var forgedExisting = new List<string>();
        foreach (var forged in facts.ForgedOrders)
        {
            if (await api.GetAsync($"/api/orders/{forged}", CancellationToken.None) is (200, _))
            {
                forgedExisting.Add(forged);
            }
        }

        var badAccepted = api.BadAccepted.Count + forgedExisting.Count + facts.StripeForged.Count(stripeAccepted.Contains);
        this.Row("bad deliveries accepted", $"{badAccepted} of {api.BadSent} answered ({api.BadRefused} refused)", badAccepted == 0);
        this.Detail("bad accepted", api.BadAccepted.Select(b => $"{b.Delivery.Kind} {b.Delivery.Id} answered {b.Status}").Concat(forgedExisting));

        // Good deliveries: every order was acknowledged and exists; every good Stripe event is on record as accepted.
        var lost = new List<string>();
        foreach (var order in facts.Orders)
        {
            if (!order.Accepted(api))
            {
                lost.Add($"{order.OrderId}: orders/create never acknowledged");
            }
            else if (!observer.Latest.ContainsKey(order.OrderId) && await api.GetAsync($"/api/orders/{order.OrderId}", CancellationToken.None) is not (200, _))
            {
                lost.Add($"{order.OrderId}: acknowledged but not found");
            }
        }

        lost.AddRange(facts.StripeGood.Where(id => !stripeAccepted.Contains(id)).Select(id => $"{id}: Stripe event not on record as accepted"));
        lost.AddRange(api.GoodRefused.Select(r => $"{r.Delivery.Topic} {r.Delivery.Id}: refused with {r.Status}"));
        this.Row("good deliveries lost", $"{lost.Count} ({accepted.Count} orders, {facts.StripeGood.Count} Stripe events, each sent 3 times)", lost.Count == 0);
        this.Detail("lost", lost);
    }

    private void Progress(SoakFacts facts)
    {
        var marks = observer.Marks.Where(m => m.RestartedAt != DateTimeOffset.MaxValue).ToList();
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
        var measured = marks.Where(m => m.InFlight > 0 && m.What == "host").ToList();
        var half = measured.Select(m => m.HalfProgress ?? TimeSpan.MaxValue).Order().ToList();
        var all = measured.Select(m => m.AllProgress ?? TimeSpan.MaxValue).Order().ToList();
        var figure = measured.Count == 0
            ? $"no restart with orders in flight ({marks.Count} restarts)"
            : $"half of the in-flight orders moving again: p50 {Show(half[half.Count / 2])}, max {Show(half[^1])} over {measured.Count} host restarts; " +
              $"all of them: p50 {Show(all[all.Count / 2])}, max {Show(all[^1])} (the tail waits in durable retry back-off: behind an injected fault, or a killed host's 60 s email claim); " +
              $"first order: p50 {Seconds(measured.Select(m => m.FirstProgress ?? TimeSpan.Zero).Order().ElementAt(measured.Count / 2))}";
        this.Row($"time from restart to workflows progressing (target < {ProgressTarget.TotalSeconds:0} s for half of them)", figure, measured.All(m => m.HalfProgress is { } t && t < ProgressTarget));
        this.Detail("restarts", marks.Select(m => $"{m.What} restart at {m.RestartedAt:HH:mm:ss}: {m.InFlight} in flight, first moved {(m.FirstProgress is { } f ? Seconds(f) : "-")}, half moved {(m.HalfProgress is { } h ? Seconds(h) : "NO")}, all moved {(m.AllProgress is { } a ? Seconds(a) : $"NO ({m.StillWaiting} never moved)")}"), all: true);
        foreach (var mark in marks)
        {
            var late = mark.AllProgress is not { } t || t >= ProgressTarget;
            this.Detail($"slowest after the {mark.What} restart at {mark.RestartedAt:HH:mm:ss}", mark.Slowest(late ? 5 : 2), all: true);
        }

        var storage = marks.Where(m => m.What == "azurite").ToList();
        if (storage.Count > 0)
        {
            // Not held to the 30 s target: the outage itself lasts 5 s and the engine's storage calls back off meanwhile.
            this.Row(
                "Azurite stopped 5 s and restarted: orders moving again (no target)",
                string.Join("; ", storage.Select(m => $"{m.InFlight} in flight, all moved {(m.AllProgress is { } a ? Seconds(a) : $"NO ({m.StillWaiting} never)")}")),
                true);
        }

        _ = facts;

        static string Show(TimeSpan t) => t == TimeSpan.MaxValue ? "never" : Seconds(t);
    }

    private void Row(string name, string figure, bool ok) => rows.Add((name, figure, ok));

    private void Detail(string title, IEnumerable<string> lines, bool all = false)
    {
        var list = lines.ToList();
        foreach (var line in all ? list : list.Take(10))
        {
            details.Add($"      {title}: {line}");
        }

        if (!all && list.Count > 10)
        {
            details.Add($"      {title}: ... {list.Count - 10} more");
        }
    }
}
