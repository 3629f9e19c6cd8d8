using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Bench;

/// <summary>One line of the issue-18 table: the figure, its target, what was measured, the verdict, and the conditions.</summary>
public sealed record TableRow(string Figure, string Target, string Measured, string Verdict, string Conditions);

/// <summary>
/// Scenario "table": every figure of issue 18 in one process run, by the scenarios that measure them, then one table with
/// target, measured value, met/missed, and each figure's CPU and load, under a header with the settings. In order:
/// in memory the engine limit (a no-op orchestration with an order's durable actions) and the real order workflow on the
/// same SKUs; the webhook acknowledgement at 50 concurrent deliveries (in-memory engine, Tables on Azurite); on the
/// persistent engine (Azure Storage on Azurite) the durable actions of one simple order, the sustained order rate
/// (closed loop) and orders arriving at half that rate (open loop); and with --minutes the memory run.
/// </summary>
public static class TableRun
{
    private const int WebhookDeliveries = 500;
    private const int WebhookConcurrency = 50;

    public static async Task<bool> RunAsync(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loadBefore = ClosedLoop.LoadAverage();
        var began = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var memory = options.For(DurableEngineBackend.InMemory, options.Count ?? 3000);
        var persistent = options.For(DurableEngineBackend.AzureStorage, options.PersistentOrders);
        var webhook = options.For(DurableEngineBackend.InMemory, WebhookDeliveries, WebhookConcurrency, TimeSpan.FromSeconds(120));
        var skus = Scenarios.OrderSkuNames(options.OrderSkus);
        var failures = new List<string>();

        async Task<T?> Part<T>(string name, Func<Task<T>> run)
            where T : class
        {
            try
            {
                return await run();
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                Console.WriteLine($"{name,-9} FAILED: {ex.Message}");
                failures.Add(name);
                return null;
            }
        }

        Console.WriteLine($"table     part 1/4: in memory, {memory.CountFor("orders")} each, concurrency {memory.Concurrency}");
        Figures? limit, orders;
        await using (var host = await BenchHost.StartAsync(memory, BenchHost.NewTaskHubName(), skus))
        {
            var scenarios = new Scenarios(host, memory);
            limit = await Part(BenchOptions.EngineLimitScenario, scenarios.EngineLimitAsync);
            orders = await Part("orders", scenarios.OrdersAsync);
        }

        Console.WriteLine($"table     part 2/4: webhook, {WebhookDeliveries} deliveries at concurrency {WebhookConcurrency}, in-memory engine, Tables on Azurite");
        var hook = await Part(BenchOptions.WebhookScenario, () => WebhookBench.RunAsync(webhook, BenchHost.NewTaskHubName(), () => { }));

        Console.WriteLine($"table     part 3/4: persistent engine (Azure Storage on Azurite), {persistent.PersistentOrders} orders at concurrency {persistent.Concurrency}, then half that rate for {persistent.HalfLoadDuration.TotalSeconds:F0}s");
        (bool Ok, IReadOnlyDictionary<int, int> Totals)? actions = null;
        Figures? sustained = null, half = null;
        var hub = BenchHost.NewTaskHubName();
        await using (var host = await BenchHost.StartAsync(persistent, hub, skus.Concat(ActionCount.Skus)))
        {
            try
            {
                actions = await ActionCount.CountAsync(host, persistent, hub, [OrderWorkflowVersions.Current]);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                Console.WriteLine($"{BenchOptions.ActionsScenario,-9} FAILED: {ex.Message}");
                failures.Add(BenchOptions.ActionsScenario);
            }

            var scenarios = new Scenarios(host, persistent);
            sustained = await Part("orders", scenarios.OrdersAsync);
            if (sustained is { Rate: > 0 })
            {
                half = await Part("half-load", () => scenarios.OrdersAtRateAsync("half-load", sustained.Rate / 2, persistent.HalfLoadDuration));
            }

            Console.Write("stopping the persistent engine and deleting its task hub... ");
        }

        Console.WriteLine();
        MemoryFigures? soak = null;
        if (options.Minutes is not null)
        {
            Console.WriteLine($"table     part 4/4: memory, {options.Minutes} min of steady load in memory");
            soak = await Part(BenchOptions.MemoryScenario, () => MemoryRun.MeasureAsync(options.For(DurableEngineBackend.InMemory, null), BenchHost.NewTaskHubName()));
        }

        var rows = new List<TableRow>
        {
            Row("engine limit, in memory: no-op orchestration with an order's durable actions", "reference", limit, f => Invariant($"{f.Rate:F0} orch/s, p50 {f.Latency(50):F0} / p99 {f.Latency(99):F0} ms"), _ => "-"),
            Row("real order workflow, in memory (same SKUs, same concurrency)", ">= 50 % of engine limit", orders, f => limit is { Rate: > 0 }
                ? Invariant($"{f.Rate:F0} orders/s = {100 * f.Rate / limit.Rate:F0} % ({PerCore(f, limit)} per CPU second), p50 {f.Latency(50):F0} / p99 {f.Latency(99):F0} ms")
                : Invariant($"{f.Rate:F0} orders/s"), f => limit is { Rate: > 0 } ? Verdict(100 * f.Rate / limit.Rate >= 50, Invariant($"by {50 - (100 * f.Rate / limit.Rate):F0} points")) : "-"),
            Row("persistent engine (Azurite): sustained orders/s", ">= 10 orders/s", sustained, f => Invariant($"{f.Rate:F1} orders/s, p50 {f.Latency(50):F0} ms start to done"), f => Verdict(f.Rate >= 10, Invariant($"{10 / f.Rate:F1}x short"))),
            Row(Invariant($"persistent: p50 webhook start to shipped-confirmation wait at half load ({(sustained?.Rate ?? 0) / 2:F2}/s)"), "< 2000 ms", half, f => Invariant($"{f.HandOff(50):F0} ms (p95 {f.HandOff(95):F0}; start to done p50 {f.Latency(50):F0} ms)"), f => Verdict(f.HandOff(50) < 2000, Invariant($"{f.HandOff(50) / 2000:F1}x over"))),
            Row(Invariant($"webhook acknowledgement p99, {WebhookConcurrency} concurrent (in-memory engine, Tables on Azurite)"), "< 50 ms", hook, f => Invariant($"{f.Latency(99):F0} ms (p50 {f.Latency(50):F0}, {f.Rate:F0} req/s)"), f => Verdict(f.Latency(99) < 50, Invariant($"{f.Latency(99) / 50:F0}x over"))),
            actions is { } a && a.Totals.TryGetValue(OrderWorkflowVersions.Current, out var total)
                ? new TableRow(Invariant($"durable actions of a simple two-line order (revision {OrderWorkflowVersions.Current})"), "<= 15", Invariant($"{total}"), Verdict(total <= 15, Invariant($"by {total - 15}")), "counted from its Azure Storage history")
                : new TableRow("durable actions of a simple two-line order", "<= 15", "FAILED", "not measured", string.Empty),
            new("hot SKU split across shard entities (persistent)", ">= 10x one entity, 0 oversold", "not in this bench", "not measured", "the split is not built yet"),
            new("peak working set (this process, whole run)", "printed", Invariant($"{BenchHost.PeakWorkingSetMegabytes()} MB"), "-", "in-memory engine keeps every instance it ran"),
            soak is null
                ? new TableRow("memory: heap after GC across a steady run", "no growth over 10 min", "not run", "not measured", "add --minutes 10")
                : new TableRow(
                    Invariant($"memory: heap after GC across {soak.Duration.TotalMinutes:F0} min of steady load (in memory{(soak.Purged ? ", finished orders purged" : string.Empty)})"),
                    "no growth over 10 min",
                    Invariant($"{soak.FirstThirdMb:F0} -> {soak.LastThirdMb:F0} MB (first -> last third), {soak.SlopeMbPerMinute:+0.0;-0.0} MB/min, {soak.Orders} orders"),
                    soak.Grows ? "MISSED: grows" : soak.Duration.TotalMinutes >= 10 ? "met" : "no growth (shorter run)",
                    Conditions(soak.Cores, soak.LoadBefore, soak.LoadAfter)),
        };

        Print(options, rows, began, clock.Elapsed, loadBefore);
        var ok = failures.Count == 0 && limit?.Ok == true && orders?.Ok == true && hook?.Ok == true && actions?.Ok == true && sustained?.Ok == true && half?.Ok == true && soak?.Ok != false;
        if (failures.Count > 0)
        {
            Console.WriteLine($"table     parts that failed: {string.Join(", ", failures)}");
        }

        return ok;
    }

    private static TableRow Row(string figure, string target, Figures? figures, Func<Figures, string> measured, Func<Figures, string> verdict)
        => figures is null
            ? new TableRow(figure, target, "FAILED", "not measured", string.Empty)
            : new TableRow(figure, target, measured(figures) + (figures.Ok ? string.Empty : " (a check FAILED)"), verdict(figures), Conditions(figures.Loop.Cores, figures.Loop.LoadBefore, figures.Loop.LoadAfter));

    /// <summary>
    /// The ratio of the two rates per core the bench process used: on a shared machine the two parts can get very
    /// different shares of the CPU, and then the plain ratio says more about the neighbours than about the workflow.
    /// </summary>
    private static string PerCore(Figures real, Figures limit)
        => real.Loop.Cores > 0 && limit.Loop.Cores > 0 && limit.Rate > 0
            ? Invariant($"{100 * (real.Rate / real.Loop.Cores) / (limit.Rate / limit.Loop.Cores):F0} %")
            : "-";

    private static string Verdict(bool met, string missedBy) => met ? "met" : "MISSED " + missedBy;

    private static string Conditions(double cores, double before, double after) => Invariant($"cpu {cores:F2} cores, load {before:F1}->{after:F1}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Print(BenchOptions options, List<TableRow> rows, DateTimeOffset began, TimeSpan took, double loadBefore)
    {
        var version = typeof(TableRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var commit = version.Contains('+', StringComparison.Ordinal) ? version[(version.IndexOf('+', StringComparison.Ordinal) + 1)..] : "unknown";
        Console.WriteLine();
        Console.WriteLine(Invariant($"Issue 18 figures, {began:yyyy-MM-dd HH:mm}Z, commit {commit[..Math.Min(commit.Length, 10)]}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
        Console.WriteLine(Invariant(
            $"settings: in memory {options.Count ?? 3000} orchestrations/orders per figure at concurrency {options.For(DurableEngineBackend.InMemory, null).Concurrency}, {options.OrderSkus} SKUs; persistent {options.PersistentOrders} orders at concurrency {options.For(DurableEngineBackend.AzureStorage, null).Concurrency}, client poll {options.StatusPollingInterval.TotalMilliseconds:F0} ms{(options.EngineSettings.Length > 0 ? ", " + options.EngineSettings : string.Empty)}, half load for {options.HalfLoadDuration.TotalSeconds:F0}s; webhook {WebhookDeliveries} deliveries at concurrency {WebhookConcurrency}; order revision {options.Revision}"));
        string[] header = ["figure", "target", "measured", "verdict", "conditions"];
        var widths = Enumerable.Range(0, header.Length).Select(c => Math.Max(header[c].Length, rows.Max(r => Cells(r)[c].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((cell, c) => cell.PadRight(widths[c]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(Cells(row)));
        }

        Console.WriteLine(Invariant($"machine load (1-minute average) {loadBefore:F1} before, {ClosedLoop.LoadAverage():F1} after; {took.TotalSeconds:F0}s in all"));
    }

    private static string[] Cells(TableRow row) => [row.Figure, row.Target, row.Measured, row.Verdict, row.Conditions];
}
