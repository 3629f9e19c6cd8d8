using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DurableTask.Core;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Bench;

/// <summary>One reading of the memory run: after a forced full, compacting collection.</summary>
public sealed record MemorySample(
    TimeSpan At, long Orders, double HeapMb, double WorkingSetMb, double RatePerSecond, double P50, double P99, double Load, int InFlight, int Timers, int Instances, long ProcessTimers);

/// <summary>What the memory run found: heap after GC in the first and last third of the samples, the slope, and the verdict.</summary>
public sealed record MemoryFigures(
    bool Ok, TimeSpan Duration, long Orders, double FirstThirdMb, double LastThirdMb, double SlopeMbPerMinute, double KbPerOrder,
    double FirstThirdWorkingSetMb, double LastThirdWorkingSetMb, bool Grows, bool Purged, double LoadBefore, double LoadAfter, double Cores)
{
    /// <summary>The samples: start (first), middle and end (last), for the table.</summary>
    public IReadOnlyList<MemorySample> Samples { get; init; } = [];

    /// <summary>Slope of the working set after GC, MB per minute.</summary>
    public double WorkingSetSlopeMbPerMinute { get; init; }

    /// <summary>Arrivals not started because the in-flight cap was reached (the engine fell behind the rate).</summary>
    public long Skipped { get; init; }

    /// <summary>The steady arrival rate (orders/s), or null for a closed loop.</summary>
    public double? Rate { get; init; }

    /// <summary>Growth rule: the last third's mean heap after GC exceeds the first third's by more than 5 % and 5 MB.</summary>
    public static bool IsGrowth(double first, double last) => last - first > Math.Max(0.05 * first, 5);
}

/// <summary>
/// Scenario "memory": real orders in memory for --minutes (or the targets run's shorter default), arriving at a steady
/// rate (--rate, open loop: order i starts at i / rate s; at most <see cref="InFlightCap"/> in flight, arrivals beyond
/// are skipped and counted) or, with --rate 0, in a closed loop of C in flight. Every interval (1/30 of the run, 5-30 s)
/// the bench forces a full compacting collection and records the heap that is left (live objects), the working set,
/// orders completed, the window's rate and latency, the load average, and what the engine holds: its pending durable
/// timers and its instances; and the process's active System.Threading timers (each Task.Delay is one). Each finished order is purged from the engine (unless --keep-instances: the in-memory
/// engine then keeps every instance) and dropped from the bench's own ports, so what remains is what the engine, the
/// workflow and the entities hold.
/// </summary>
public static class MemoryRun
{
    /// <summary>Most orders in flight in the steady-rate mode.</summary>
    public const int InFlightCap = 400;

    public static async Task<bool> RunAsync(BenchOptions options, string hub) => (await MeasureAsync(options, hub)).Ok;

    public static async Task<MemoryFigures> MeasureAsync(BenchOptions options, string hub)
    {
        ArgumentNullException.ThrowIfNull(options);
        var duration = options.MemoryDuration;
        var interval = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 30, 5, 30));
        await using var host = await BenchHost.StartAsync(options, hub, Scenarios.OrderSkuNames(options.OrderSkus));
        var scenarios = new Scenarios(host, options);
        var purger = options.KeepInstances ? null : host.Engine.OrchestrationService as IOrchestrationServicePurgeClient;
        var inMemory = options.Backend == DurableEngineBackend.InMemory;
        var rate = options.Rate > 0 ? options.Rate : (double?)null;
        await scenarios.SeedOrderStockAsync("memory", (long)(duration.TotalSeconds * (rate ?? (inMemory ? 2000 : 50))));
        Console.WriteLine(FormattableString.Invariant(
            $"memory    {duration.TotalMinutes:F1} min of real orders {(rate is { } r ? $"arriving at {r:F0}/s (open loop, at most {InFlightCap} in flight)" : $"at concurrency {options.Concurrency} (closed loop)")} on {options.Backend}, a sample every {interval.TotalSeconds:F0}s after a forced full GC; finished orders {(purger is null ? "kept in the engine" : "purged from the engine")}"));

        long orders = 0;
        long failed = 0;
        var window = new ConcurrentQueue<double>();
        var finished = new ConcurrentQueue<(long At, string InstanceId)>();
        Task Completed(Sample sample)
        {
            if (sample.Completed)
            {
                Interlocked.Increment(ref orders);
                window.Enqueue(sample.ServerMillis);
                finished.Enqueue((Stopwatch.GetTimestamp(), sample.InstanceId));
            }
            else if (Interlocked.Increment(ref failed) <= 3)
            {
                Console.WriteLine($"memory    FAILED: {sample.Final?.ToString() ?? $"{sample.InstanceId}: {sample.Error}"}");
            }

            host.ForgetOrder(sample.InstanceId, Scenarios.DeliveryId(sample.InstanceId));
            return Task.CompletedTask;
        }

        // A finished order is purged two seconds later: the client sees it completed as soon as its state is saved, while
        // the engine's dispatcher still holds the work item (purging then makes the release fail). The in-memory engine
        // drops a finished or purged instance's timers (InMemoryTimers), so the purge need not wait for them any more.
        var purgeAfter = TimeSpan.FromSeconds(2);
        using var stopPurging = new CancellationTokenSource();
        async Task PurgeAsync()
        {
            while (!stopPurging.IsCancellationRequested)
            {
                while (finished.TryPeek(out var next) && Stopwatch.GetElapsedTime(next.At) > purgeAfter && finished.TryDequeue(out next))
                {
                    await purger!.PurgeInstanceStateAsync(next.InstanceId);
                    await PurgeChildrenAsync(purger, next.InstanceId);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        var purging = purger is null ? Task.CompletedTask : Task.Run(PurgeAsync);
        var inFlight = 0;
        long skipped = 0;
        var baseline = await SampleAsync(host, TimeSpan.Zero, 0, 0, window, 0);
        Print(baseline);
        string Id(int i) => OrderIds.For("bench", "mem-" + i.ToString(CultureInfo.InvariantCulture));
        var loop = rate is { } perSecond
            ? SteadyAsync(host.Client, perSecond, duration, options.InstanceTimeout, Id, (i, id) => scenarios.StartOrderAsync(i, id), Completed, () => Interlocked.Increment(ref skipped), d => Interlocked.Add(ref inFlight, d))
            : ClosedLoop.RunAsync(host.Client, int.MaxValue, options.Concurrency, duration, options.InstanceTimeout, Id, (i, id) => scenarios.StartOrderAsync(i, id), Completed, keepSamples: false);

        var samples = new List<MemorySample> { baseline };
        var clock = Stopwatch.StartNew();
        var last = (At: TimeSpan.Zero, Orders: 0L);
        while (await Task.WhenAny(loop, Task.Delay(interval)) != loop)
        {
            host.ForgetSent();
            var done = Interlocked.Read(ref orders);
            var sample = await SampleAsync(host, clock.Elapsed, done, (done - last.Orders) / (clock.Elapsed - last.At).TotalSeconds, window, Volatile.Read(ref inFlight));
            last = (sample.At, done);
            samples.Add(sample);
            Print(sample);
        }

        var result = await loop;
        await stopPurging.CancelAsync();
        await purging;

        // The baseline (before any order) is printed but not summarized: the run's first third starts with the first load.
        var figures = Summarize(samples.Skip(1).ToList(), duration, Interlocked.Read(ref orders), purger is not null, result) with { Skipped = Interlocked.Read(ref skipped), Rate = rate };
        var heapLine = FormattableString.Invariant(
            $"memory    heap after GC: first third {figures.FirstThirdMb:F1} MB, last third {figures.LastThirdMb:F1} MB ({figures.LastThirdMb - figures.FirstThirdMb:+0.0;-0.0} MB), slope {figures.SlopeMbPerMinute:+0.00;-0.00} MB/min ({figures.KbPerOrder:+0.000;-0.000} KB per order)");
        Console.WriteLine(heapLine + FormattableString.Invariant(
            $"; working set {figures.FirstThirdWorkingSetMb:F0} -> {figures.LastThirdWorkingSetMb:F0} MB ({figures.WorkingSetSlopeMbPerMinute:+0.0;-0.0} MB/min); {figures.Orders} orders, {Interlocked.Read(ref failed)} failed{(rate is null ? string.Empty : $", {figures.Skipped} arrivals skipped (in-flight cap)")} | cpu {result.Cores:F2} cores, load {result.LoadBefore:F1}->{result.LoadAfter:F1}"));
        if (figures.Samples.Count >= 3)
        {
            Console.WriteLine("memory    start / middle / end: " + string.Join(" | ", figures.Samples.Select(s => FormattableString.Invariant(
                $"t={s.At.TotalSeconds:F0}s heap {s.HeapMb:F1} MB, working set {s.WorkingSetMb:F0} MB, {s.Timers} engine timers, {s.ProcessTimers} process timers, {s.Instances} engine instances, {s.InFlight} in flight"))));
        }

        Console.WriteLine($"memory    verdict: {(figures.Grows ? "GROWS" : "no growth")} (growth = last third's mean heap after GC above the first third's by more than 5 % and 5 MB){(figures.Grows && purger is null ? "; expected with --keep-instances" : string.Empty)}");
        var ok = Interlocked.Read(ref failed) == 0 && (!figures.Grows || purger is null);
        return figures with { Ok = ok };
    }

    /// <summary>
    /// Open loop: order i starts at i / rate s until <paramref name="duration"/>, each waited for and reported to
    /// <paramref name="completed"/>; an arrival finding <see cref="InFlightCap"/> orders in flight is skipped.
    /// </summary>
    private static async Task<LoopResult> SteadyAsync(
        TaskHubWorkflowClient client, double perSecond, TimeSpan duration, TimeSpan instanceTimeout, Func<int, string> instanceId,
        Func<int, string, Task<bool>> start, Func<Sample, Task> completed, Action skip, Action<int> inFlight)
    {
        var loadBefore = ClosedLoop.LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var running = new ConcurrentDictionary<int, Task>();
        var current = 0;
        for (var i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due >= duration)
            {
                break;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            if (Volatile.Read(ref current) >= InFlightCap)
            {
                skip();
                continue;
            }

            Interlocked.Increment(ref current);
            inFlight(1);
            var index = i;
            running[index] = Task.Run(async () =>
            {
                var began = Stopwatch.GetTimestamp();
                Sample sample;
                var id = instanceId(index);
                try
                {
                    if (!await start(index, id))
                    {
                        sample = new Sample(id, null, "instance id already taken", 0, 0);
                    }
                    else
                    {
                        var final = await client.WaitForCompletionAsync(id, instanceTimeout);
                        sample = new Sample(id, final, null, (final.LastUpdatedAt - final.CreatedAt).TotalMilliseconds, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    }
                }
                catch (Exception ex)
                {
                    sample = new Sample(id, null, $"{ex.GetType().Name}: {ex.Message}", 0, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                }

                Interlocked.Decrement(ref current);
                inFlight(-1);
                await completed(sample);
                running.TryRemove(index, out _);
            });
        }

        await Task.WhenAll(running.Values);
        var elapsed = clock.Elapsed;
        return new LoopResult([], elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore, false, loadBefore, ClosedLoop.LoadAverage());
    }

    private static async Task<MemorySample> SampleAsync(BenchHost host, TimeSpan at, long orders, double rate, ConcurrentQueue<double> window, int inFlight)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
        using var process = Process.GetCurrentProcess();
        var latencies = new List<double>();
        while (window.TryDequeue(out var millis))
        {
            latencies.Add(millis);
        }

        var sorted = latencies.Order().ToArray();
        var (timers, instances) = await EngineHoldsAsync(host);
        return new MemorySample(
            at, orders, heap, process.WorkingSet64 / 1048576.0, rate,
            sorted.Length > 0 ? Percentiles.At(sorted, 50) : double.NaN, sorted.Length > 0 ? Percentiles.At(sorted, 99) : double.NaN, ClosedLoop.LoadAverage(),
            inFlight, timers, instances, Timer.ActiveCount);
    }

    /// <summary>What the in-memory engine holds: pending durable timers and instances (orchestrations and entities); -1 on another backend.</summary>
    private static async Task<(int Timers, int Instances)> EngineHoldsAsync(BenchHost host)
    {
        if (host.Engine.OrchestrationService is not InMemoryEntityOrchestrationService service)
        {
            return (-1, -1);
        }

        var instances = 0;
        var query = new DurableTask.Core.Query.OrchestrationQuery { PageSize = int.MaxValue };
        instances = (await service.GetOrchestrationWithQueryAsync(query, CancellationToken.None)).OrchestrationState.Count;
        return (service.PendingTimerCount, instances);
    }

    private static void Print(MemorySample s) => Console.WriteLine(FormattableString.Invariant(
        $"memory    t={s.At.TotalSeconds,5:F0}s orders={s.Orders,-8} rate={s.RatePerSecond,7:F1}/s heap-after-GC={s.HeapMb,7:F1} MB working-set={s.WorkingSetMb,6:F0} MB p50={s.P50,6:F0} p99={s.P99,6:F0} ms in-flight={s.InFlight,-4} engine timers={s.Timers,-6} instances={s.Instances,-6} process timers={s.ProcessTimers,-6} load {s.Load:F1}"));

    /// <summary>
    /// Purges a finished order's Fulfillment children (revision 12: "{order}:{order}-F{n}", numbered from 1 without gaps;
    /// a bench order is never restarted, so its run id is its order id). They ended before the order did.
    /// </summary>
    private static async Task PurgeChildrenAsync(IOrchestrationServicePurgeClient purger, string orderId)
    {
        for (var n = 1; n <= 64; n++)
        {
            var purged = await purger.PurgeInstanceStateAsync(FulfillmentWorkflowInput.InstanceIdFor(orderId, OrderIds.Fulfillment(orderId, n)));
            if (purged.DeletedInstanceCount == 0)
            {
                return;
            }
        }
    }

    private static MemoryFigures Summarize(IReadOnlyList<MemorySample> samples, TimeSpan duration, long orders, bool purged, LoopResult loop)
    {
        if (samples.Count < 3)
        {
            return new MemoryFigures(false, duration, orders, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, false, purged, loop.LoadBefore, loop.LoadAfter, loop.Cores);
        }

        var third = samples.Count / 3;
        var first = samples.Take(third).ToList();
        var lastThird = samples.Skip(samples.Count - third).ToList();
        var firstMb = first.Average(s => s.HeapMb);
        var lastMb = lastThird.Average(s => s.HeapMb);
        var perMinute = Slope(samples.Select(s => (s.At.TotalMinutes, s.HeapMb)).ToList());
        var perOrder = Slope(samples.Select(s => ((double)s.Orders, s.HeapMb * 1024)).ToList());
        return new MemoryFigures(
            true, duration, orders, firstMb, lastMb, perMinute, perOrder, first.Average(s => s.WorkingSetMb), lastThird.Average(s => s.WorkingSetMb),
            MemoryFigures.IsGrowth(firstMb, lastMb), purged, loop.LoadBefore, loop.LoadAfter, loop.Cores)
        {
            Samples = [samples[0], samples[samples.Count / 2], samples[^1]],
            WorkingSetSlopeMbPerMinute = Slope(samples.Select(s => (s.At.TotalMinutes, s.WorkingSetMb)).ToList()),
        };
    }

    /// <summary>Least-squares slope of y over x.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
    }
}
