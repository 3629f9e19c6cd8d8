using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DurableTask.Core;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;

namespace OrderFlow.Bench;

/// <summary>One reading of the memory run: after a forced full, compacting collection.</summary>
public sealed record MemorySample(TimeSpan At, long Orders, double HeapMb, double WorkingSetMb, double RatePerSecond, double P50, double P99, double Load);

/// <summary>What the memory run found: heap after GC in the first and last third of the samples, the slope, and the verdict.</summary>
public sealed record MemoryFigures(
    bool Ok, TimeSpan Duration, long Orders, double FirstThirdMb, double LastThirdMb, double SlopeMbPerMinute, double KbPerOrder,
    double FirstThirdWorkingSetMb, double LastThirdWorkingSetMb, bool Grows, bool Purged, double LoadBefore, double LoadAfter, double Cores)
{
    /// <summary>Growth rule: the last third's mean heap after GC exceeds the first third's by more than 5 % and 5 MB.</summary>
    public static bool IsGrowth(double first, double last) => last - first > Math.Max(0.05 * first, 5);
}

/// <summary>
/// Scenario "memory": real orders under steady closed-loop load (C in flight) for --minutes, on the chosen backend. Every
/// interval (1/30 of the run, 5-30 s) the bench forces a full compacting collection and records the heap that is left
/// (live objects), the working set, orders completed, the window's rate and latency, and the load average. Each finished
/// order is purged from the engine (unless --keep-instances: the in-memory engine then keeps every instance) and dropped
/// from the bench's own ports, so what remains is what the engine, the workflow and the entities hold.
/// </summary>
public static class MemoryRun
{
    public static async Task<bool> RunAsync(BenchOptions options, string hub) => (await MeasureAsync(options, hub)).Ok;

    public static async Task<MemoryFigures> MeasureAsync(BenchOptions options, string hub)
    {
        ArgumentNullException.ThrowIfNull(options);
        var duration = TimeSpan.FromMinutes(options.Minutes ?? 2);
        var interval = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 30, 5, 30));
        await using var host = await BenchHost.StartAsync(options, hub, Scenarios.OrderSkuNames(options.OrderSkus));
        var scenarios = new Scenarios(host, options);
        var purger = options.KeepInstances ? null : host.Engine.OrchestrationService as IOrchestrationServicePurgeClient;
        var inMemory = options.Backend == DurableEngineBackend.InMemory;
        await scenarios.SeedOrderStockAsync("memory", (long)(duration.TotalSeconds * (inMemory ? 2000 : 50)));
        Console.WriteLine(FormattableString.Invariant(
            $"memory    {duration.TotalMinutes:F0} min of real orders at concurrency {options.Concurrency} on {options.Backend}, a sample every {interval.TotalSeconds:F0}s after a forced full GC; finished orders {(purger is null ? "kept in the engine" : "purged from the engine")}"));

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
        // the engine's dispatcher still holds the work item (purging then makes the release fail). If its confirmation
        // timer can fall due within the run, only after that timer: the in-memory engine keeps a cancelled timer and
        // delivers it when due, and a timer message for a purged instance fails in the dispatcher, which backs off
        // (seen here: the engine stopped completing orders a minute in with --confirmation-timeout 60).
        var timeout = options.ConfirmationTimeout ?? Scenarios.Settings.FulfillmentConfirmationTimeout;
        var purgeAfter = timeout <= duration + TimeSpan.FromMinutes(1) ? timeout + TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2);
        using var stopPurging = new CancellationTokenSource();
        async Task PurgeAsync()
        {
            while (!stopPurging.IsCancellationRequested)
            {
                while (finished.TryPeek(out var next) && Stopwatch.GetElapsedTime(next.At) > purgeAfter && finished.TryDequeue(out next))
                {
                    await purger!.PurgeInstanceStateAsync(next.InstanceId);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        var purging = purger is null ? Task.CompletedTask : Task.Run(PurgeAsync);
        if (purger is not null)
        {
            Console.WriteLine(FormattableString.Invariant($"memory    each finished order is purged {purgeAfter.TotalSeconds:F0}s after it ends (confirmation timer {timeout.TotalSeconds:F0}s)"));
        }

        var baseline = Sample(TimeSpan.Zero, 0, 0, window);
        Print(baseline);
        var loop = ClosedLoop.RunAsync(
            host.Client, int.MaxValue, options.Concurrency, duration, options.InstanceTimeout,
            i => OrderIds.For("bench", "mem-" + i.ToString(CultureInfo.InvariantCulture)), (i, id) => scenarios.StartOrderAsync(i, id),
            Completed, keepSamples: false);

        var samples = new List<MemorySample>();
        var clock = Stopwatch.StartNew();
        var last = (At: TimeSpan.Zero, Orders: 0L);
        while (await Task.WhenAny(loop, Task.Delay(interval)) != loop)
        {
            host.ForgetSent();
            var done = Interlocked.Read(ref orders);
            var sample = Sample(clock.Elapsed, done, (done - last.Orders) / (clock.Elapsed - last.At).TotalSeconds, window);
            last = (sample.At, done);
            samples.Add(sample);
            Print(sample);
        }

        var result = await loop;
        await stopPurging.CancelAsync();
        await purging;
        var figures = Summarize(samples, duration, Interlocked.Read(ref orders), purger is not null, result);
        var heapLine = FormattableString.Invariant(
            $"memory    heap after GC: first third {figures.FirstThirdMb:F1} MB, last third {figures.LastThirdMb:F1} MB ({figures.LastThirdMb - figures.FirstThirdMb:+0.0;-0.0} MB), slope {figures.SlopeMbPerMinute:+0.00;-0.00} MB/min ({figures.KbPerOrder:+0.000;-0.000} KB per order)");
        Console.WriteLine(heapLine + FormattableString.Invariant(
            $"; working set {figures.FirstThirdWorkingSetMb:F0} -> {figures.LastThirdWorkingSetMb:F0} MB; {figures.Orders} orders, {Interlocked.Read(ref failed)} failed | cpu {result.Cores:F2} cores, load {result.LoadBefore:F1}->{result.LoadAfter:F1}"));
        Console.WriteLine($"memory    verdict: {(figures.Grows ? "GROWS" : "no growth")} (growth = last third's mean heap after GC above the first third's by more than 5 % and 5 MB){(figures.Grows && purger is null ? "; expected with --keep-instances" : string.Empty)}");
        var ok = Interlocked.Read(ref failed) == 0 && (!figures.Grows || purger is null);
        return figures with { Ok = ok };
    }

    private static MemorySample Sample(TimeSpan at, long orders, double rate, ConcurrentQueue<double> window)
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
        return new MemorySample(
            at, orders, heap, process.WorkingSet64 / 1048576.0, rate,
            sorted.Length > 0 ? Percentiles.At(sorted, 50) : double.NaN, sorted.Length > 0 ? Percentiles.At(sorted, 99) : double.NaN, ClosedLoop.LoadAverage());
    }

    private static void Print(MemorySample s) => Console.WriteLine(FormattableString.Invariant(
        $"memory    t={s.At.TotalSeconds,5:F0}s orders={s.Orders,-8} rate={s.RatePerSecond,7:F1}/s heap-after-GC={s.HeapMb,7:F1} MB working-set={s.WorkingSetMb,6:F0} MB p50={s.P50,6:F0} p99={s.P99,6:F0} ms load {s.Load:F1}"));

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
            MemoryFigures.IsGrowth(firstMb, lastMb), purged, loop.LoadBefore, loop.LoadAfter, loop.Cores);
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
