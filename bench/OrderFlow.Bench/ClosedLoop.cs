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
    /// <param name="completed">Called with every sample as it ends (the memory run purges the instance here).</param>
    /// <param name="keepSamples">False for long runs: the result then holds no samples, so the bench itself does not grow.</param>
    public static async Task<LoopResult> RunAsync(
        TaskHubWorkflowClient client,
        int count,
        int concurrency,
        TimeSpan budget,
        TimeSpan instanceTimeout,
        Func<int, string> instanceId,
        Func<int, string, Task<bool>> start,
        Func<Sample, Task>? completed = null,
        bool keepSamples = true)
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

                var sample = await RunOneAsync(client, instanceTimeout, instanceId(i), i, start);
                if (keepSamples)
                {
                    samples.Add(sample);
                }

                if (completed is not null)
                {
                    await completed(sample);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(WorkerAsync)));
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new LoopResult(samples.ToList(), elapsed, cpu, budgetHit, loadBefore, LoadAverage());
    }

    /// <summary>
    /// Open-loop load: starts instance i at <c>i / rate</c> seconds whatever is still in flight, until <c>count</c> were
    /// started or the next start would fall after <c>duration</c>; then waits for every started instance to end.
    /// </summary>
    public static async Task<LoopResult> RunAtRateAsync(
        TaskHubWorkflowClient client,
        int count,
        double perSecond,
        TimeSpan duration,
        TimeSpan instanceTimeout,
        Func<int, string> instanceId,
        Func<int, string, Task<bool>> start)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        var loadBefore = LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var running = new List<Task<Sample>>();
        var budgetHit = false;
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due >= duration)
            {
                budgetHit = true;
                break;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var index = i;
            running.Add(Task.Run(() => RunOneAsync(client, instanceTimeout, instanceId(index), index, start)));
        }

        var samples = await Task.WhenAll(running);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new LoopResult(samples, elapsed, cpu, budgetHit, loadBefore, LoadAverage());
    }

    /// <summary>Starts one instance and waits for its end; never throws (a failure is a sample with an error).</summary>
    private static async Task<Sample> RunOneAsync(TaskHubWorkflowClient client, TimeSpan instanceTimeout, string id, int i, Func<int, string, Task<bool>> start)
    {
        var began = Stopwatch.GetTimestamp();
        try
        {
            if (!await start(i, id))
            {
                return new Sample(id, null, "instance id already taken", 0, 0);
            }

            var final = await client.WaitForCompletionAsync(id, instanceTimeout);
            var clientMillis = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            return new Sample(id, final, null, (final.LastUpdatedAt - final.CreatedAt).TotalMilliseconds, clientMillis);
        }
        catch (Exception ex)
        {
            return new Sample(id, null, $"{ex.GetType().Name}: {ex.Message}", 0, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }
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
