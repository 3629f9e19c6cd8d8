using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Bench;

/// <summary>
/// <c>--profile</c>: where an engine's time goes, per measured window. Reads the engine's own structured log events
/// (DurableTask.Core and DurableTask.AzureStorage, passed to this provider only: the console still shows errors
/// only) and the process's HTTP requests (the runtime's <c>System.Net.Http</c> metrics and spans), so nothing in the
/// engine changes. Per window: storage requests by service, method and resource (queue or table) with their mean
/// latency; orchestration episodes and entity batches (operations per batch); message transit (the sender's log line
/// before its queue put to the receiver's after its poll, matched by the library's sequence number); history fetch
/// latency and work-item processing time, for entities and orchestrations apart (the history writes are the
/// <c>$batch</c> and Instances requests: the library's own append latency field reads 0); and the CPU of the storage
/// emulator (<c>--storage-pid</c>, Linux <c>/proc</c>).
/// </summary>
public sealed class EngineProfile : ILoggerProvider
{
    private readonly Dictionary<int, string> services;
    private readonly string hub;
    private readonly int? storagePid;
    private readonly ActivityListener spans;
    private readonly MeterListener meters;
    private readonly ConcurrentDictionary<long, (long At, bool ToEntity)> sent = new();
    private readonly ConcurrentDictionary<string, long> working = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private Window window;

    public EngineProfile(string connectionString, string taskHubName, int? storagePid)
    {
        this.services = BenchHost.StorageEndpoints(connectionString).ToDictionary(e => e.Endpoint.Port, e => e.Service);
        this.hub = taskHubName;
        this.storagePid = storagePid;
        this.window = new Window(this.StorageCpu());
        this.spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = this.OnHttpSpan,
        };
        ActivitySource.AddActivityListener(this.spans);
        this.meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        this.meters.SetMeasurementEventCallback<double>(this.OnHttpMeasurement);
        this.meters.Start();
    }

    /// <summary>Starts a new window (the next measured point): every figure counts from here.</summary>
    public void Reset()
    {
        lock (this.gate)
        {
            this.window = new Window(this.StorageCpu());
        }

        this.sent.Clear();
    }

    /// <summary>
    /// Prints the window since <see cref="Reset"/>, per <paramref name="units"/> (e.g. reserves) of work done. With
    /// <paramref name="entities"/> (the entities the work went to) also how busy each was: its batches' history fetch
    /// plus processing over the window (an entity runs one batch at a time, so near 100 % it is the bottleneck).
    /// </summary>
    public void Print(TextWriter output, string prefix, int units, string unit, int entities = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        Window w;
        KeyValuePair<string, Stat>[] requests;
        KeyValuePair<string, Stat>[] timings;
        lock (this.gate)
        {
            w = this.window;
            requests = [.. w.Requests];
            timings = [.. w.Timings];
        }

        var seconds = Stopwatch.GetElapsedTime(w.Started).TotalSeconds;
        var per = Math.Max(units, 1);
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        var storageCpu = this.StorageCpu() is { } now && w.StorageCpuAtStart is { } before ? I($"{(now - before) / seconds:F2} cores") : "not read";
        output.WriteLine(I($"{prefix} profile: {seconds:F1}s, storage emulator cpu {storageCpu}; storage requests {w.HttpCount} ({w.HttpCount / seconds:F0}/s, {w.HttpCount / (double)per:F1} per {unit}, mean {w.HttpMillis / Math.Max(w.HttpCount, 1):F1} ms):"));
        foreach (var (label, stat) in requests.OrderByDescending(r => r.Value.Count).Take(12))
        {
            output.WriteLine(I($"{prefix}   {label,-28} {stat.Count,6} = {stat.Count / (double)per,5:F2} per {unit}, mean {stat.Mean,6:F1} ms"));
        }

        if (entities > 0)
        {
            var busy = timings.Where(t => t.Key is "entity history fetch" or "work item processing TaskEntityDispatcher").Sum(t => t.Value.TotalMillis) / 1000;
            output.WriteLine(I($"{prefix}   entity busy (history fetch + batch processing): {busy / entities:F1}s of {seconds:F1}s per entity ({100 * busy / entities / seconds:F0} %)"));
        }

        output.WriteLine(I($"{prefix}   engine: {w.Episodes} orchestration episodes ({w.Episodes / (double)per:F2} per {unit}), {w.Batches} entity batches of {w.Operations / (double)Math.Max(w.Batches, 1):F2} operations ({w.Batches / (double)per:F2} per {unit})"));
        foreach (var (label, stat) in timings.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine(I($"{prefix}   {label,-40} n={stat.Count,6} mean {stat.Mean,7:F1} ms"));
        }
    }

    public ILogger CreateLogger(string categoryName) => new Sink(this, categoryName.StartsWith("DurableTask", StringComparison.Ordinal));

    public void Dispose()
    {
        this.spans.Dispose();
        this.meters.Dispose();
    }

    private static bool IsEntity(object? instanceId) => instanceId is string id && id.StartsWith('@');

    private static string Kind(object? instanceId) => IsEntity(instanceId) ? "entity" : "orchestration";

    private static long Long(IReadOnlyDictionary<string, object> fields, string name)
        => fields.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    private void OnEvent(string? name, IReadOnlyDictionary<string, object> fields)
    {
        var now = Stopwatch.GetTimestamp();
        switch (name)
        {
            case "SendingMessage":
                this.sent[Long(fields, "SequenceNumber")] = (now, IsEntity(fields.GetValueOrDefault("TargetInstanceId")));
                break;
            case "ReceivedMessage":
                if (this.sent.TryRemove(Long(fields, "SequenceNumber"), out var sending))
                {
                    this.Time($"message transit to {(sending.ToEntity ? "entity" : "orchestration")} (send->poll)", Stopwatch.GetElapsedTime(sending.At, now).TotalMilliseconds);
                }

                break;
            case "FetchedInstanceHistory":
                this.Time($"{Kind(fields.GetValueOrDefault("InstanceId"))} history fetch", Long(fields, "LatencyMs"));
                break;
            case "EntityBatchExecuted":
                lock (this.gate)
                {
                    this.window.Batches++;
                    this.window.Operations += Long(fields, "OperationCount");
                }

                break;
            case "OrchestrationExecuted":
                lock (this.gate)
                {
                    this.window.Episodes++;
                }

                break;
            case "ProcessWorkItemStarting":
                this.working[$"{fields.GetValueOrDefault("Dispatcher")}|{fields.GetValueOrDefault("WorkItemId")}"] = now;
                break;
            case "ProcessWorkItemCompleted":
                var dispatcher = fields.GetValueOrDefault("Dispatcher") as string ?? string.Empty;
                if (this.working.TryRemove($"{dispatcher}|{fields.GetValueOrDefault("WorkItemId")}", out var started))
                {
                    this.Time($"work item processing {dispatcher.Split('-')[0]}", Stopwatch.GetElapsedTime(started, now).TotalMilliseconds);
                }

                break;
        }
    }

    private void OnHttpMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        lock (this.gate)
        {
            this.window.HttpCount++;
            this.window.HttpMillis += seconds * 1000;
        }
    }

    /// <summary>Labels a storage request by service, method and resource: the queue (control, workitems) or table (History, Instances, $batch).</summary>
    private void OnHttpSpan(Activity span)
    {
        var method = span.GetTagItem("http.request.method") as string ?? span.DisplayName;
        if (span.GetTagItem("url.full") is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            this.Request($"http {method}", span.Duration.TotalMilliseconds);
            return;
        }

        var service = this.services.GetValueOrDefault(uri.Port, $"port {uri.Port}");
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1] : "(account)";
        var paren = resource.IndexOf('(', StringComparison.Ordinal);
        resource = paren >= 0 ? resource[..paren] : resource;
        if (resource.StartsWith(this.hub, StringComparison.OrdinalIgnoreCase))
        {
            resource = resource[this.hub.Length..].TrimStart('-');
        }

        resource = resource.StartsWith("control", StringComparison.Ordinal) ? "control" : resource;
        this.Request($"{service} {method} {resource}{(segments.Length > 2 && service == "queue" ? "/" + segments[2] : string.Empty)}", span.Duration.TotalMilliseconds);
    }

    private void Request(string label, double millis)
    {
        lock (this.gate)
        {
            this.window.Requests.TryGetValue(label, out var stat);
            this.window.Requests[label] = new Stat(stat.Count + 1, stat.TotalMillis + millis);
        }
    }

    private void Time(string label, double millis)
    {
        lock (this.gate)
        {
            this.window.Timings.TryGetValue(label, out var stat);
            this.window.Timings[label] = new Stat(stat.Count + 1, stat.TotalMillis + millis);
        }
    }

    /// <summary>CPU seconds the storage emulator's process has used (utime + stime from /proc), or null.</summary>
    private double? StorageCpu()
    {
        if (this.storagePid is not { } pid)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // After the command: state is field 3, utime 14, stime 15 (clock ticks, 100 per second on Linux).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private readonly record struct Stat(long Count, double TotalMillis)
    {
        public double Mean => this.Count > 0 ? this.TotalMillis / this.Count : 0;
    }

    private sealed class Window(double? storageCpuAtStart)
    {
        public long Started { get; } = Stopwatch.GetTimestamp();

        public double? StorageCpuAtStart { get; } = storageCpuAtStart;

        public long HttpCount { get; set; }

        public double HttpMillis { get; set; }

        public long Episodes { get; set; }

        public long Batches { get; set; }

        public long Operations { get; set; }

        public Dictionary<string, Stat> Requests { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Stat> Timings { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Sink(EngineProfile profile, bool engine) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => engine;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (engine && state is IReadOnlyDictionary<string, object> fields)
            {
                profile.OnEvent(eventId.Name, fields);
            }
        }
    }
}
