using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask.Client;
using OrderFlow.Engine;

namespace OrderFlow.Bench;

/// <summary>One instance's fate: its final status (null when it never finished) and its start-to-end latency.</summary>
public sealed record Sample(string InstanceId, WorkflowInstanceStatus? Final, string? Error, double ServerMillis, double ClientMillis)
{
    public bool Completed => this.Final?.RuntimeStatus == OrchestrationRuntimeStatus.Completed;
}

/// <summary>What a closed-loop run did: every sample, wall time from first start to last end, and CPU the process used.</summary>
public sealed record LoopResult(IReadOnlyList<Sample> Samples, TimeSpan Elapsed, TimeSpan Cpu, bool BudgetHit, double LoadBefore, double LoadAfter)
{
    public int CompletedCount => this.Samples.Count(s => s.Completed);

    public IReadOnlyList<Sample> Failures => this.Samples.Where(s => !s.Completed).ToList();

    /// <summary>Average cores busy during the run (process CPU time over wall time).</summary>
    public double Cores => this.Elapsed > TimeSpan.Zero ? this.Cpu / this.Elapsed : 0;
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each start one instance, wait for it to end, and start the next,
/// until <c>count</c> instances were started or the time budget is spent (then in-flight instances still finish).
/// </summary>
public static class ClosedLoop
{
    public static async Task<LoopResult> RunAsync(
        TaskHubWorkflowClient client,
        int count,
        int concurrency,
        TimeSpan budget,
        TimeSpan instanceTimeout,
        Func<int, string> instanceId,
        Func<int, string, Task<bool>> start)
    {
        var samples = new ConcurrentBag<Sample>();
        var loadBefore = LoadAverage();
        var next = -1;
        var budgetHit = false;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                if (clock.Elapsed >= budget)
                {
                    budgetHit = true;
                    return;
                }

                var id = instanceId(i);
                var began = Stopwatch.GetTimestamp();
                try
                {
                    if (!await start(i, id))
                    {
                        samples.Add(new Sample(id, null, "instance id already taken", 0, 0));
                        continue;
                    }

                    var final = await client.WaitForCompletionAsync(id, instanceTimeout);
                    var clientMillis = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                    samples.Add(new Sample(id, final, null, (final.LastUpdatedAt - final.CreatedAt).TotalMilliseconds, clientMillis));
                }
                catch (Exception ex)
                {
                    samples.Add(new Sample(id, null, $"{ex.GetType().Name}: {ex.Message}", 0, Stopwatch.GetElapsedTime(began).TotalMilliseconds));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(WorkerAsync)));
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new LoopResult(samples.ToList(), elapsed, cpu, budgetHit, loadBefore, LoadAverage());
    }

    /// <summary>The machine's 1-minute load average (Linux), to tell whether other work shared the cores; NaN elsewhere.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}

/// <summary>Nearest-rank percentiles.</summary>
public static class Percentiles
{
    public static string Format(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "p50=- p95=- p99=- ms";
        }

        return FormattableString.Invariant($"p50={At(sorted, 50):F1} p95={At(sorted, 95):F1} p99={At(sorted, 99):F1} ms");
    }

    public static double At(double[] sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
