using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using OrderFlow.Bench.Workflows;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Bench;

/// <summary>The machine's load and the bench process's CPU around one row's measurement.</summary>
public sealed record RowConditions(double LoadBefore, double LoadAfter, TimeSpan Cpu, TimeSpan Elapsed)
{
    public static RowConditions Of(LoopResult loop) => new(loop.LoadBefore, loop.LoadAfter, loop.Cpu, loop.Elapsed);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"load {this.LoadBefore:F1}->{this.LoadAfter:F1}, bench cpu {(this.Elapsed > TimeSpan.Zero ? this.Cpu / this.Elapsed : 0):F2} cores ({this.Cpu.TotalSeconds:F0} s in {this.Elapsed.TotalSeconds:F0} s)");
}

/// <summary>One line of the targets table.</summary>
public sealed record TargetRow(string Target, string Figure, string Settings, string Verdict, string Conditions);

/// <summary>
/// Scenario "targets" (old name "table"): every target of issue 18 measured in one process run by the scenarios that
/// measure them, then ONE table: target, figure, settings, met or missed and by how much (measured / target), the
/// machine's load average before -> after and the bench's CPU for each row, under a header with the commit. In order:
/// (1) the durable actions of one simple two-line order, counted from its Azure Storage history (Azurite); (2) in
/// memory, the engine limit (a no-op orchestration with the same number and kinds of durable actions as that order,
/// <see cref="OrderShape.FromCounts"/>) and the real order workflow on the same SKUs at the same concurrency; (3) the
/// webhook acknowledgement at 50 concurrent deliveries (in-memory engine, Tables on Azurite); (4) on the persistent
/// engine (Azure Storage on Azurite) the sustained order rate (closed loop), orders arriving at half that rate (open
/// loop) and the hot-SKU curve by shard count; (5) the memory run in memory at a steady rate. --quick: smoke sizes.
/// </summary>
public static class TargetsRun
{
    public static async Task<bool> RunAsync(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var quick = options.Quick;
        var loadBefore = ClosedLoop.LoadAverage();
        var began = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        int deliveries = quick ? 100 : 500, hookConcurrency = 50;
        var memory = options.For(DurableEngineBackend.InMemory, options.Count ?? (quick ? 300 : 3000), budget: TimeSpan.FromSeconds(quick ? 15 : 30));
        var persistent = options.For(DurableEngineBackend.AzureStorage, options.PersistentOrders, budget: TimeSpan.FromSeconds(quick ? 40 : 120));
        var hot = options.For(DurableEngineBackend.AzureStorage, quick ? 64 : 400, budget: TimeSpan.FromSeconds(quick ? 20 : 60));
        var webhook = options.For(DurableEngineBackend.InMemory, deliveries, hookConcurrency, TimeSpan.FromSeconds(quick ? 40 : 120));
        var skus = Scenarios.OrderSkuNames(options.OrderSkus);
        var failures = new List<string>();

        async Task<T?> Part<T>(string name, Func<Task<T>> run)
            where T : class
        {
            try
            {
                return await run();
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException or TaskCanceledException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                Console.WriteLine($"{name,-9} FAILED: {ex.Message}");
                failures.Add(name);
                return null;
            }
        }

        Console.WriteLine($"targets   part 1/5: durable actions of one simple two-line order (revision {OrderWorkflowVersions.Current}), from its history on Azure Storage (Azurite)");
        var actionsWatch = Stopwatch.StartNew();
        var actionsLoad = ClosedLoop.LoadAverage();
        var actionsCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var hub = BenchHost.NewTaskHubName();
        var kinds = await Part<IReadOnlyDictionary<string, int>>(BenchOptions.ActionsScenario, async () =>
        {
            await using var host = await BenchHost.StartAsync(persistent, hub, ActionCount.Skus);
            var counted = await ActionCount.CountKindsAsync(host, persistent, hub, [OrderWorkflowVersions.Current]);
            return counted.Ok && counted.Kinds.TryGetValue(OrderWorkflowVersions.Current, out var found)
                ? found
                : throw new InvalidOperationException("the counted order did not end Fulfilled");
        });
        var actionsConditions = new RowConditions(actionsLoad, ClosedLoop.LoadAverage(), Process.GetCurrentProcess().TotalProcessorTime - actionsCpu, actionsWatch.Elapsed);
        var shape = kinds is null ? null : OrderShape.FromCounts(kinds, ActionCount.Skus.Length);

        Console.WriteLine($"targets   part 2/5: in memory, engine limit ({(shape is null ? "revision 8's shape: the count FAILED" : "the shape just counted")}) and real orders, {memory.CountFor("orders")} each at concurrency {memory.Concurrency}");
        Figures? limit, orders;
        await using (var host = await BenchHost.StartAsync(memory, BenchHost.NewTaskHubName(), skus))
        {
            var scenarios = new Scenarios(host, memory);
            limit = await Part(BenchOptions.EngineLimitScenario, () => scenarios.EngineLimitAsync(shape));
            orders = await Part("orders", scenarios.OrdersAsync);
        }

        Console.WriteLine($"targets   part 3/5: webhook, {deliveries} deliveries at concurrency {hookConcurrency}, in-memory engine, Tables on Azurite");
        var hook = await Part(BenchOptions.WebhookScenario, () => WebhookBench.RunAsync(webhook, BenchHost.NewTaskHubName(), () => { }));

        Console.WriteLine($"targets   part 4/5: persistent engine (Azure Storage on Azurite): {persistent.PersistentOrders} orders at concurrency {persistent.Concurrency}, half that rate for {persistent.HalfLoadDuration.TotalSeconds:F0}s, hot SKU at shards {string.Join(",", hot.Shards)}");
        Figures? sustained = null, half = null;
        IReadOnlyList<HotSplitPoint>? curve = null;
        await using (var host = await BenchHost.StartAsync(persistent, BenchHost.NewTaskHubName(), skus))
        {
            var scenarios = new Scenarios(host, persistent);
            sustained = await Part("orders", scenarios.OrdersAsync);
            if (sustained is { Rate: > 0 })
            {
                half = await Part("half-load", () => scenarios.OrdersAtRateAsync("half-load", sustained.Rate / 2, persistent.HalfLoadDuration));
            }

            curve = await Part(HotSplitScenario.Name, () => HotSplitScenario.MeasureAsync(host, hot));
            Console.Write("stopping the persistent engine and deleting its task hub... ");
        }

        Console.WriteLine();
        var memoryOptions = options.For(DurableEngineBackend.InMemory, null);
        Console.WriteLine(Invariant($"targets   part 5/5: memory, {memoryOptions.MemoryDuration.TotalMinutes:F1} min of real orders in memory at {options.Rate:F0}/s"));
        var soak = await Part(BenchOptions.MemoryScenario, () => MemoryRun.MeasureAsync(memoryOptions, BenchHost.NewTaskHubName()));

        var rows = new List<TargetRow>
        {
            ActionsRow(kinds, actionsConditions),
            LimitRow(limit, orders, memory, shape),
            SustainedRow(sustained, persistent),
            HalfLoadRow(half, sustained, persistent),
            hook is null
                ? Failed("webhook acknowledgement p99 < 50 ms at 50 concurrent (in memory)")
                : new TargetRow(
                    "webhook acknowledgement p99 < 50 ms at 50 concurrent (in memory)",
                    Invariant($"p99 {hook.Latency(99):F0} ms (p50 {hook.Latency(50):F0}, {hook.Rate:F0} req/s){Checked(hook)}"),
                    Invariant($"{deliveries} signed deliveries, concurrency {hookConcurrency}, host's HTTP pipeline, Tables on Azurite"),
                    AtMost(hook.Latency(99), 50),
                    RowConditions.Of(hook.Loop).ToString()),
            HotRow(curve, hot),
            new TargetRow("peak working set (printed)", Invariant($"{BenchHost.PeakWorkingSetMegabytes()} MB"), "this process, whole run", "-", string.Empty),
            MemoryRow(soak, options),
        };

        Print(options, rows, began, clock.Elapsed, loadBefore);
        if (curve is { Count: > 0 })
        {
            Console.WriteLine("hot SKU curve (persistent): " + string.Join("; ", curve.Select(p => Invariant(
                $"{p.Shards} shard(s) {p.Rate:F1} reserves/s x{p.Rate / Math.Max(curve[0].Rate, 1e-9):F1} p50 {p.P50:F0} ms, oversold {p.Oversold}, lost {p.Lost}{(p.Ok ? string.Empty : " FAILED")}"))));
        }

        var ok = failures.Count == 0 && limit?.Ok == true && orders?.Ok == true && hook?.Ok == true && kinds is not null && sustained?.Ok == true && half?.Ok == true
            && curve?.All(p => p.Ok) == true && soak?.Ok == true;
        if (failures.Count > 0)
        {
            Console.WriteLine($"targets   parts that failed: {string.Join(", ", failures)}");
        }

        return ok;
    }

    private static TargetRow ActionsRow(IReadOnlyDictionary<string, int>? kinds, RowConditions conditions)
    {
        const string Target = "durable actions of a simple two-line order <= 15";
        if (kinds is null)
        {
            return Failed(Target);
        }

        var total = kinds.Values.Sum();
        var byKind = string.Join(", ", kinds.Where(k => k.Value > 0).Select(k => Invariant($"{k.Value} {k.Key}")));
        return new TargetRow(Target, Invariant($"{total} ({byKind})"), Invariant($"revision {OrderWorkflowVersions.Current}, counted from its Azure Storage history"), AtMost(total, 15), conditions.ToString());
    }

    private static TargetRow LimitRow(Figures? limit, Figures? orders, BenchOptions memory, OrderShape? shape)
    {
        const string Target = "real order workflow >= 50 % of the engine limit (in memory)";
        if (limit is null || orders is null || limit.Rate <= 0)
        {
            return Failed(Target);
        }

        var percent = 100 * orders.Rate / limit.Rate;
        var cpu = RowConditions.Of(orders.Loop);
        return new TargetRow(
            Target,
            Invariant($"{orders.Rate:F0} orders/s vs {limit.Rate:F0} no-op orch/s = {percent:F0} % (per CPU second {PerCore(orders, limit)}); p50 {orders.Latency(50):F0} vs {limit.Latency(50):F0} ms{Checked(orders)}{Checked(limit)}"),
            Invariant($"{memory.CountFor("orders")} each, concurrency {memory.Concurrency}, {memory.OrderSkus} SKUs; no-op shape: {(shape ?? OrderShape.Revision8)}"),
            AtLeast(percent, 50),
            Invariant($"limit: {RowConditions.Of(limit.Loop)}; orders: {cpu}"));
    }

    private static TargetRow SustainedRow(Figures? sustained, BenchOptions persistent)
    {
        const string Target = "persistent engine (Azurite) >= 10 orders/s sustained";
        return sustained is null
            ? Failed(Target)
            : new TargetRow(
                Target,
                Invariant($"{sustained.Rate:F2} orders/s, p50 {sustained.Latency(50):F0} ms start to done{Checked(sustained)}"),
                Invariant($"{persistent.PersistentOrders} real orders, closed loop, concurrency {persistent.Concurrency}, {persistent.OrderSkus} SKUs, client poll {persistent.StatusPollingInterval.TotalMilliseconds:F0} ms{(persistent.EngineSettings.Length > 0 ? ", " + persistent.EngineSettings : string.Empty)}"),
                AtLeast(sustained.Rate, 10),
                RowConditions.Of(sustained.Loop).ToString());
    }

    private static TargetRow HalfLoadRow(Figures? half, Figures? sustained, BenchOptions persistent)
    {
        const string Target = "persistent: p50 webhook to shipped-confirmation wait < 2 s at half load";
        return half is null
            ? Failed(Target)
            : new TargetRow(
                Target,
                Invariant($"p50 {half.HandOff(50):F0} ms (p95 {half.HandOff(95):F0}; start to done p50 {half.Latency(50):F0} ms){Checked(half)}"),
                Invariant($"open loop: order i starts at i / {sustained!.Rate / 2:F2} s (half the sustained rate) for {persistent.HalfLoadDuration.TotalSeconds:F0} s; start to first parcel hand-off"),
                AtMost(half.HandOff(50), 2000),
                RowConditions.Of(half.Loop).ToString());
    }

    private static TargetRow HotRow(IReadOnlyList<HotSplitPoint>? curve, BenchOptions hot)
    {
        const string Target = "hot SKU (persistent): split >= x10 one entity, 0 oversold";
        if (curve is not { Count: > 0 } || curve[0].Rate <= 0)
        {
            return Failed(Target);
        }

        var most = curve[^1];
        var factor = most.Rate / curve[0].Rate;
        var oversold = curve.Sum(p => p.Oversold);
        var lost = curve.Sum(p => p.Lost);
        var verdict = AtLeast(factor, 10);
        if (oversold > 0 || lost != 0 || curve.Any(p => !p.Ok))
        {
            verdict = "MISSED: " + Invariant($"{oversold} oversold, {lost} lost") + (curve.Any(p => !p.Ok) ? ", a check FAILED" : string.Empty);
        }

        var conditions = new RowConditions(curve[0].Loop.LoadBefore, most.Loop.LoadAfter, TimeSpan.FromTicks(curve.Sum(p => p.Loop.Cpu.Ticks)), TimeSpan.FromTicks(curve.Sum(p => p.Loop.Elapsed.Ticks)));
        return new TargetRow(
            Target,
            Invariant($"x{factor:F1} at {most.Shards} shards ({most.Rate:F1} vs {curve[0].Rate:F1} reserves/s); curve {string.Join(" ", curve.Select(p => Invariant($"{p.Shards}:{p.Rate:F1}")))}; oversold {oversold}"),
            Invariant($"per point {hot.CountFor(HotSplitScenario.Name)} entity ops (reserve+release pairs), concurrency {hot.Concurrency}, budget {hot.Budget.TotalSeconds:F0} s"),
            verdict,
            conditions.ToString());
    }

    private static TargetRow MemoryRow(MemoryFigures? soak, BenchOptions options)
    {
        const string Target = "memory: no growth across a 10-minute run (in memory)";
        if (soak is null || soak.Samples.Count < 3)
        {
            return Failed(Target);
        }

        string At(MemorySample s) => Invariant($"{s.HeapMb:F0}/{s.WorkingSetMb:F0}");
        var (start, middle, end) = (soak.Samples[0], soak.Samples[1], soak.Samples[2]);
        // A backlog (orders in flight piling up because the machine cannot keep the rate) is not growth of the code.
        var backlog = soak.Rate is { } arrivals && end.InFlight > Math.Max(20, 5 * arrivals);
        var verdict = backlog ? Invariant($"not steady: {end.InFlight} in flight at the end (lower --rate)")
            : soak.Grows ? "MISSED: grows" : soak.Duration.TotalMinutes >= 10 ? "met" : Invariant($"no growth in {soak.Duration.TotalMinutes:F1} min (10 needed)");
        return new TargetRow(
            Target,
            Invariant($"heap/working set after GC, MB: start {At(start)}, middle {At(middle)}, end {At(end)}; slope {soak.SlopeMbPerMinute:+0.0;-0.0} / {soak.WorkingSetSlopeMbPerMinute:+0.0;-0.0} MB/min; engine timers {start.Timers}/{middle.Timers}/{end.Timers}, process timers {start.ProcessTimers}/{middle.ProcessTimers}/{end.ProcessTimers}, instances {start.Instances}/{middle.Instances}/{end.Instances}; {soak.Orders} orders{(soak.Skipped > 0 ? Invariant($", {soak.Skipped} arrivals skipped") : string.Empty)}"),
            Invariant($"{soak.Duration.TotalMinutes:F1} min, {(soak.Rate is { } r ? Invariant($"{r:F0} orders/s open loop") : $"closed loop at {options.Concurrency}")}, finished orders purged after 2 s, full GC per sample"),
            verdict,
            Invariant($"load {soak.LoadBefore:F1}->{soak.LoadAfter:F1}, bench cpu {soak.Cores:F2} cores"));
    }

    private static TargetRow Failed(string target) => new(target, "FAILED (see above)", string.Empty, "not measured", string.Empty);

    private static string Checked(Figures figures) => figures.Ok ? string.Empty : " (a check FAILED)";

    /// <summary>Higher is better: met when <paramref name="measured"/> reaches <paramref name="target"/>; by how much either way.</summary>
    private static string AtLeast(double measured, double target) => Invariant($"{(measured >= target ? "met" : "MISSED")} (x{measured / target:F2} of target)");

    /// <summary>Lower is better: met when <paramref name="measured"/> is within <paramref name="target"/>.</summary>
    private static string AtMost(double measured, double target) => Invariant($"{(measured <= target ? "met" : "MISSED")} (x{measured / target:F2} of target)");

    /// <summary>The ratio of the two rates per core the bench used: on a shared machine the parts get different CPU shares.</summary>
    private static string PerCore(Figures real, Figures limit)
        => real.Loop.Cores > 0 && limit.Loop.Cores > 0 && limit.Rate > 0
            ? Invariant($"{100 * (real.Rate / real.Loop.Cores) / (limit.Rate / limit.Loop.Cores):F0} %")
            : "-";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Print(BenchOptions options, List<TargetRow> rows, DateTimeOffset began, TimeSpan took, double loadBefore)
    {
        var version = typeof(TargetsRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var commit = version.Contains('+', StringComparison.Ordinal) ? version[(version.IndexOf('+', StringComparison.Ordinal) + 1)..] : "unknown";
        Console.WriteLine();
        Console.WriteLine(Invariant(
            $"Issue 18 targets, {began:yyyy-MM-dd HH:mm}Z, commit {commit[..Math.Min(commit.Length, 10)]}, {(options.Quick ? "--quick (smoke sizes), " : string.Empty)}{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, machine load {loadBefore:F1} before"));
        string[] header = ["target", "figure", "settings", "verdict", "load and bench cpu"];
        var widths = Enumerable.Range(0, header.Length).Select(c => Math.Max(header[c].Length, rows.Max(r => Cells(r)[c].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((cell, c) => cell.PadRight(widths[c]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(Cells(row)));
        }

        Console.WriteLine(Invariant($"machine load (1-minute average) {loadBefore:F1} before, {ClosedLoop.LoadAverage():F1} after; {took.TotalSeconds:F0} s in all"));
    }

    private static string[] Cells(TargetRow row) => [row.Target, row.Figure, row.Settings, row.Verdict, row.Conditions];
}
