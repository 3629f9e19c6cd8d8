using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.DurableTask.Client;
using OrderFlow.Bench.Workflows;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Bench;

/// <summary>The bench scenarios. Each prints one line of figures (plus a check line where there is something to check).</summary>
public sealed class Scenarios(BenchHost host, BenchOptions options)
{
    /// <summary>Reserve+Release pairs per orchestration in the entity scenarios (4 entity calls each).</summary>
    public const int PairsPerOrchestration = 2;

    /// <summary>SKUs the "entity" scenario spreads over.</summary>
    public static readonly string[] EntitySkus = ["BENCH-E1", "BENCH-E2", "BENCH-E3", "BENCH-E4", "BENCH-E5"];

    /// <summary>The one SKU of the "hot-sku" scenario.</summary>
    public const string HotSku = "BENCH-HOT";

    /// <summary>SKUs the orders draw from.</summary>
    private readonly string[] orderSkus = OrderSkuNames(options.OrderSkus);

    private const int WarmupInstances = 10;
    private static readonly string[] Locations = ["WH-A", "WH-B"];

    /// <summary>The workflow settings of every bench order.</summary>
    public static readonly OrderWorkflowSettings Settings = new(
        FulfillmentConfirmationTimeout: TimeSpan.FromMinutes(30),
        ReservationHold: TimeSpan.FromDays(1),
        CaseDeadline: TimeSpan.FromDays(1),
        ActivityMaxAttempts: 3,
        ActivityFirstRetryInterval: TimeSpan.FromSeconds(1));

    /// <summary>The bench orders' settings: <see cref="Settings"/>, with --confirmation-timeout when given.</summary>
    private readonly OrderWorkflowSettings settings = options.ConfirmationTimeout is { } timeout ? Settings with { FulfillmentConfirmationTimeout = timeout } : Settings;

    private TaskHubWorkflowClient Client => host.Client;

    /// <summary>Scenario "engine": N trivial five-activity orchestrations. Not OK when an instance failed.</summary>
    public async Task<Figures> EngineAsync()
    {
        Task<bool> Start(int i, string id) => this.Client.StartOrchestrationAsync<BenchFiveStepOrchestrator>(id, new BenchStepInput(i));

        await this.WarmupAsync("engine", i => $"warm-engine-{i}", Start);
        var result = await this.LoopAsync(options.CountFor("engine"), i => $"engine-{i}", Start);
        var wrong = result.Samples.Count(s => s.Completed && s.Final!.ReadOutputAs<int>() != int.Parse(s.InstanceId["engine-".Length..], CultureInfo.InvariantCulture) + BenchFiveStepOrchestrator.Steps);
        var figures = Print("engine", result, result.CompletedCount, "orch/s", result.Samples.Where(s => s.Completed).Select(s => s.ServerMillis),
            $"{BenchFiveStepOrchestrator.Steps} activities each");
        return figures with { Ok = await this.ReportAsync(result) && Check("engine", wrong == 0, $"{wrong} wrong outputs") };
    }

    /// <summary>
    /// Scenario "engine-limit": N no-op orchestrations with a real order's durable actions (<see cref="BenchOrderShapeOrchestrator"/>,
    /// in <paramref name="shape"/>, by default revision 8's), on the same SKUs as the orders scenario's N orders, so that
    /// the locks contend alike.
    /// </summary>
    public async Task<Figures> EngineLimitAsync(OrderShape? shape = null)
    {
        const string Name = BenchOptions.EngineLimitScenario;
        shape ??= OrderShape.Revision8;
        Task<bool> Start(int i, string id) => this.Client.StartOrchestrationAsync<BenchOrderShapeOrchestrator>(id, new BenchOrderShapeInput(this.LineSkus(i), shape));

        await this.WarmupAsync(Name, i => $"warm-{Name}-{i}", Start);
        var result = await this.LoopAsync(options.CountFor(Name), i => $"{Name}-{i}", Start);
        var wrong = result.Samples.Count(s => s.Completed && s.Final!.ReadOutputAs<int>() != shape.Activities);
        var figures = Print(Name, result, result.CompletedCount, "orch/s", result.Samples.Where(s => s.Completed).Select(s => s.ServerMillis),
            $"no-op orchestration with an order's durable actions ({shape}; {shape.ActionsFor(2)} for two lines) on {this.orderSkus.Length} SKUs");
        return figures with { Ok = await this.ReportAsync(result) && Check(Name, wrong == 0, $"{wrong} wrong outputs") };
    }

    /// <summary>Scenario "entity" (several SKUs) or "hot-sku" (one SKU): N InventoryEntity calls from orchestrations.</summary>
    public async Task<Figures> EntityAsync(bool hot)
    {
        var name = hot ? "hot-sku" : "entity";
        var skus = hot ? [HotSku] : EntitySkus;
        const int OnHand = 1_000_000;
        foreach (var sku in skus)
        {
            await this.SetStockAsync($"seed-{name}-{sku}", sku, new Dictionary<string, int> { ["WH-A"] = OnHand });
        }

        var opsPerInstance = PairsPerOrchestration * 2;
        var instances = (options.CountFor(name) + opsPerInstance - 1) / opsPerInstance;
        Task<bool> Start(int i, string id) => this.Client.StartOrchestrationAsync<BenchInventoryOpsOrchestrator>(
            id, new BenchInventoryOpsInput(skus[i % skus.Length], PairsPerOrchestration));

        await this.WarmupAsync(name, i => $"warm-{name}-{i}", Start);
        var result = await this.LoopAsync(instances, i => $"{name}-{i}", Start);
        var outputs = result.Samples.Where(s => s.Completed).Select(s => s.Final!.ReadOutputAs<BenchInventoryOpsResult>()!).ToList();
        var ops = outputs.Sum(o => o.Operations);
        var figures = Print(name, result, ops, "ops/s", outputs.SelectMany(o => o.OperationMillis),
            $"per call; {result.Samples.Count} orchestrations x {opsPerInstance} calls (Reserve/Release) on {skus.Length} SKU(s)");

        // Every reservation succeeded and was released again: stock is back where it started.
        var finished = await this.ReportAsync(result);
        var views = await Task.WhenAll(skus.Select(sku => this.QueryStockAsync($"check-{name}-{sku}", sku)));
        var reservedCalls = outputs.Sum(o => o.Reserved);
        var ok = views.All(v => v.OnHand == OnHand && v.Reserved == 0) && reservedCalls == ops / 2;
        return figures with { Ok = finished && Check(name, ok, $"on-hand {string.Join("/", views.Select(v => v.OnHand))}, reserved {string.Join("/", views.Select(v => v.Reserved))}, successful reserves {reservedCalls} of {ops / 2}") };
    }

    /// <summary>
    /// Scenario "orders": N real OrderOrchestrator runs over the in-memory ports (closed loop); then the SKU entities'
    /// on-hand must have dropped by exactly the units ordered.
    /// </summary>
    public Task<Figures> OrdersAsync()
    {
        var count = options.CountFor("orders");
        return this.RunOrdersAsync("orders", count, (ids, start) => this.LoopAsync(count, ids, start));
    }

    /// <summary>
    /// Orders arriving at a fixed rate (open loop) for <paramref name="duration"/>, checked as "orders"; the figures also
    /// hold each order's time from its start (the webhook's hand-over) to its first parcel's hand-off to the location,
    /// after which the order waits for the shipped confirmation.
    /// </summary>
    public Task<Figures> OrdersAtRateAsync(string name, double perSecond, TimeSpan duration)
    {
        var count = Math.Max(1, (int)Math.Ceiling(perSecond * duration.TotalSeconds));
        return this.RunOrdersAsync(name, count, (ids, start) => ClosedLoop.RunAtRateAsync(this.Client, count, perSecond, duration, options.InstanceTimeout, ids, start));
    }

    /// <summary>Stock for <paramref name="orders"/> orders of at most 6 units per SKU at each location.</summary>
    public async Task SeedOrderStockAsync(string name, long orders)
    {
        var perLocation = (int)Math.Min(int.MaxValue / 4, (orders + WarmupInstances) * 6 + 100);
        foreach (var sku in this.orderSkus)
        {
            await this.SetStockAsync($"seed-{name}-{sku}", sku, Locations.ToDictionary(l => l, _ => perLocation));
        }
    }

    /// <summary>Starts bench order <paramref name="i"/> under <paramref name="orderId"/>; the order's delivery is stored first.</summary>
    public Task<bool> StartOrderAsync(int i, string orderId, Action<Order>? started = null)
    {
        var order = this.BuildOrder(orderId, i);
        started?.Invoke(order);
        host.Accept(DeliveryId(orderId), order);
        return this.Client.StartOrchestrationAsync<OrderOrchestrator>(orderId, new OrderWorkflowInput(orderId, order.Source, DeliveryId(orderId), this.settings, options.Revision));
    }

    /// <summary>The delivery id a bench order's workflow reads its order from.</summary>
    public static string DeliveryId(string orderId) => "d-" + orderId;

    private async Task<Figures> RunOrdersAsync(string name, int count, Func<Func<int, string>, Func<int, string, Task<bool>>, Task<LoopResult>> loop)
    {
        // Plenty at both locations, so every order reserves.
        await this.SeedOrderStockAsync(name, count);
        var units = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var startedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var counting = false;
        Task<bool> Start(int i, string id) => this.StartOrderAsync(i, id, order =>
        {
            startedAt[id] = System.Diagnostics.Stopwatch.GetTimestamp();
            if (Volatile.Read(ref counting))
            {
                foreach (var line in order.Lines)
                {
                    units.AddOrUpdate(line.Sku, line.Quantity, (_, n) => n + line.Quantity);
                }
            }
        });

        await this.WarmupAsync(name, i => OrderIds.For("bench", $"warm-{name}-{i}"), Start);
        var before = await Task.WhenAll(this.orderSkus.Select(sku => this.QueryStockAsync($"before-{name}-{sku}", sku)));
        Volatile.Write(ref counting, true);
        var result = await loop(i => OrderIds.For("bench", $"{name}-{i.ToString(CultureInfo.InvariantCulture)}"), Start);
        var completed = result.Samples.Where(s => s.Completed).ToList();
        var fulfilled = completed.Count(s => s.Final!.ReadOutputAs<OrderOutcome>()?.Status == OrderStatus.Fulfilled);
        var handOff = completed
            .Select(s => host.Fulfillment.FirstDispatchAt(s.InstanceId) is { } at && startedAt.TryGetValue(s.InstanceId, out var began)
                ? System.Diagnostics.Stopwatch.GetElapsedTime(began, at).TotalMilliseconds
                : (double?)null)
            .OfType<double>().Order().ToArray();
        var figures = Print(name, result, completed.Count, "orders/s", completed.Select(s => s.ServerMillis),
            $"real OrderOrchestrator, revision {options.Revision}; {fulfilled} Fulfilled, {host.Cases.Cases.Count} cases in all; start to first hand-off {Percentiles.Format(handOff)}");

        var finished = await this.ReportAsync(result);
        var after = await Task.WhenAll(this.orderSkus.Select(sku => this.QueryStockAsync($"after-{name}-{sku}", sku)));
        var lines = new List<string>();
        var match = true;
        for (var k = 0; k < this.orderSkus.Length; k++)
        {
            var ordered = units.GetValueOrDefault(this.orderSkus[k]);
            var dropped = before[k].OnHand - after[k].OnHand;
            if (dropped != ordered || after[k].Reserved != before[k].Reserved)
            {
                match = false;
                lines.Add($"{this.orderSkus[k]}: ordered {ordered}, on-hand dropped {dropped} ({before[k].OnHand} -> {after[k].OnHand}), reserved {before[k].Reserved} -> {after[k].Reserved}");
            }
        }

        var total = units.Values.Sum();
        var droppedTotal = before.Sum(v => v.OnHand) - after.Sum(v => v.OnHand);
        Console.WriteLine(match
            ? $"{name,-9} verify: OK - on-hand of {this.orderSkus.Length} SKU entities dropped by {droppedTotal} = {total} units ordered; nothing left reserved"
            : $"{name,-9} verify: MISMATCH - on-hand dropped by {droppedTotal}, {total} units ordered");
        foreach (var line in lines)
        {
            Console.WriteLine("          " + line);
        }

        var allFulfilled = fulfilled == result.Samples.Count && host.Cases.Cases.Count == 0;
        return figures with
        {
            Ok = finished && match && Check(name, allFulfilled, $"{fulfilled} of {result.Samples.Count} orders Fulfilled, {host.Cases.Cases.Count} cases opened"),
            HandOffMillis = handOff,
        };
    }

    /// <summary>Names of the SKUs the "orders" scenario draws from.</summary>
    public static string[] OrderSkuNames(int count) => Enumerable.Range(1, count).Select(k => $"BENCH-S{k}").ToArray();

    /// <summary>A valid order of 1 or 2 SKUs, 1 to 3 units each, cheap enough never to trip the fraud rules.</summary>
    private Order BuildOrder(string orderId, int i)
    {
        var skus = this.LineSkus(i);
        var lines = new List<LineItem> { new("1", skus[0], "Bench item", 1 + (i % 3), new Money(1250, "USD")) };
        if (skus.Length > 1)
        {
            lines.Add(new LineItem("2", skus[1], "Bench item", 1 + (i / 2 % 3), new Money(800, "USD")));
        }

        var subtotal = lines.Aggregate(Money.Zero("USD"), (sum, l) => sum + l.Total);
        var shipping = new Money(500, "USD");
        var zero = Money.Zero("USD");
        return new Order(
            orderId,
            "bench",
            orderId,
            "#" + orderId,
            new Customer("bench@example.invalid", "Bench", "Customer", "en"),
            new Address("Bench Customer", "1 Main St", null, "Springfield", "IL", "62701", "US", null),
            lines,
            new OrderTotals(subtotal, shipping, zero, zero, subtotal + shipping),
            "USD",
            "pi_" + orderId,
            DateTimeOffset.UtcNow);
    }

    /// <summary>The SKUs of bench order <paramref name="i"/>: one line, or two for odd i.</summary>
    private string[] LineSkus(int i)
        => i % 2 == 1
            ? [this.orderSkus[i % this.orderSkus.Length], this.orderSkus[(i + 3) % this.orderSkus.Length]]
            : [this.orderSkus[i % this.orderSkus.Length]];

    private async Task WarmupAsync(string name, Func<int, string> instanceId, Func<int, string, Task<bool>> start)
    {
        var count = Math.Min(WarmupInstances, options.CountFor(name));
        var warm = await ClosedLoop.RunAsync(this.Client, count, count, TimeSpan.FromMinutes(5), options.InstanceTimeout, instanceId, start);
        if (warm.Failures.Count > 0)
        {
            Console.WriteLine($"{name,-9} warm-up: {warm.Failures.Count} of {count} failed: {Describe(warm.Failures[0])}");
        }
    }

    private Task<LoopResult> LoopAsync(int count, Func<int, string> instanceId, Func<int, string, Task<bool>> start)
        => ClosedLoop.RunAsync(this.Client, count, options.Concurrency, options.Budget, options.InstanceTimeout, instanceId, start);

    private async Task SetStockAsync(string instanceId, string sku, IReadOnlyDictionary<string, int> onHand)
    {
        await this.Client.StartOrchestrationAsync<StockAdjustmentOrchestrator>(instanceId, new StockAdjustment(sku, onHand, "bench", "seed"));
        await this.ExpectCompletedAsync(instanceId);
    }

    private async Task<StockView> QueryStockAsync(string instanceId, string sku)
    {
        await this.Client.StartOrchestrationAsync<StockQueryOrchestrator>(instanceId, sku);
        return (await this.ExpectCompletedAsync(instanceId)).ReadOutputAs<StockView>()!;
    }

    private async Task<WorkflowInstanceStatus> ExpectCompletedAsync(string instanceId)
    {
        var status = await this.Client.WaitForCompletionAsync(instanceId, options.InstanceTimeout);
        return status.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? status
            : throw new InvalidOperationException($"Bench setup instance failed: {status}");
    }

    private static Figures Print(string name, LoopResult result, int done, string unit, IEnumerable<double> latencies, string note)
    {
        var rate = result.Elapsed > TimeSpan.Zero ? done / result.Elapsed.TotalSeconds : 0;
        var sorted = latencies.Order().ToArray();
        Console.WriteLine(FormattableString.Invariant(
            $"{name,-9} count={done,-6} elapsed={result.Elapsed.TotalSeconds,6:F2}s rate={rate,8:F1} {unit,-8} {Percentiles.Format(sorted)} | cpu {result.Cores:F2} cores, load {result.LoadBefore:F1}->{result.LoadAfter:F1} | {note}{(result.BudgetHit ? " | stopped by the time budget" : string.Empty)}"));
        return new Figures(true, rate, sorted, result);
    }

    /// <summary>Prints what did not complete, grouped by where it stopped (runtime status and custom status).</summary>
    private async Task<bool> ReportAsync(LoopResult result)
    {
        var failures = result.Failures;
        if (failures.Count == 0)
        {
            return true;
        }

        Console.WriteLine($"          FAILED: {failures.Count} of {result.Samples.Count} instances did not complete; first: {Describe(failures[0])}");
        var stopped = new List<string>();
        foreach (var failure in failures.Take(500))
        {
            var status = failure.Final ?? await this.Client.GetStatusAsync(failure.InstanceId);
            stopped.Add(status is null ? "not found" : $"{status.RuntimeStatus} {status.SerializedCustomStatus}");
        }

        foreach (var group in stopped.GroupBy(s => s, StringComparer.Ordinal).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"          {group.Count(),6} x {group.Key}");
        }

        return false;
    }

    private static bool Check(string name, bool ok, string detail)
    {
        if (!ok)
        {
            Console.WriteLine($"{name,-9} check: FAILED - {detail}");
        }

        return ok;
    }

    private static string Describe(Sample sample) => sample.Final?.ToString() ?? $"{sample.InstanceId}: {sample.Error}";
}
