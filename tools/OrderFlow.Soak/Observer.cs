using System.Collections.Concurrent;
using System.Text.Json;

namespace OrderFlow.Soak;

/// <summary>What the operator API says of one order, and when that last changed.</summary>
public sealed record OrderSnapshot(string OrderId, string Status, string? RuntimeStatus, string? Step, string Fingerprint, DateTimeOffset ChangedAt, string Json)
{
    public bool Completed => RuntimeStatus == "Completed";

    public bool Waiting => Status is "OnHold" or "Backordered";
}

/// <summary>One host restart (or Azurite restart): which orders were in flight, and when they moved again.</summary>
public sealed class RestartMark(string what, DateTimeOffset restartedAt, IReadOnlyDictionary<string, string> inFlight)
{
    private readonly HashSet<string> waiting = [.. inFlight.Keys];
    private readonly List<(string OrderId, TimeSpan After)> moved = [];

    /// <summary>The last orders to move again, with where each stood at the kill (what held the restart's figure).</summary>
    public IEnumerable<string> Slowest(int count)
    {
        lock (waiting)
        {
            var never = waiting.Take(count).Select(id => $"{id} never (was {inFlight[id]})");
            var more = waiting.Count > count ? [$"... {waiting.Count - count} more never moved"] : Array.Empty<string>();
            return [.. never.Concat(more).Concat(moved.OrderByDescending(m => m.After).Take(count).Select(m => $"{m.OrderId} after {m.After.TotalSeconds:F1} s (was {inFlight[m.OrderId]})"))];
        }
    }

    public string What { get; } = what;

    public DateTimeOffset RestartedAt { get; set; } = restartedAt;

    public int InFlight { get; } = inFlight.Count;

    public TimeSpan? FirstProgress { get; private set; }

    /// <summary>When half of the in-flight orders had moved again; null while fewer have.</summary>
    public TimeSpan? HalfProgress
    {
        get
        {
            lock (waiting)
            {
                var half = (InFlight + 1) / 2;
                return moved.Count >= half && half > 0 ? moved.Select(m => m.After).Order().ElementAt(half - 1) : null;
            }
        }
    }

    public TimeSpan? AllProgress { get; private set; }

    public int StillWaiting
    {
        get
        {
            lock (waiting)
            {
                return waiting.Count;
            }
        }
    }

    public void Moved(string orderId, DateTimeOffset at)
    {
        lock (waiting)
        {
            if (at < RestartedAt || !waiting.Remove(orderId))
            {
                return;
            }

            FirstProgress ??= at - RestartedAt;
            moved.Add((orderId, at - RestartedAt));
            if (waiting.Count == 0)
            {
                AllProgress = at - RestartedAt;
            }
        }
    }

    /// <summary>Orders that settled without a visible change since the restart count as moved (nothing was left to do).</summary>
    public void Drop(string orderId, DateTimeOffset at) => this.Moved(orderId, at);
}

/// <summary>Polls the operator API (orders and open cases) about once a second and records every change.</summary>
public sealed class Observer(Sender api)
{
    private readonly ConcurrentDictionary<string, OrderSnapshot> latest = new();
    private readonly List<RestartMark> marks = [];
    private volatile HashSet<string> openCases = [];
    private volatile HashSet<string> stuckOnly = [];

    public IReadOnlyDictionary<string, OrderSnapshot> Latest => latest;

    public IReadOnlySet<string> OpenCases => openCases;

    /// <summary>Orders whose only open cases are the watchdog's Stuck cases (the engine did not move them).</summary>
    public IReadOnlySet<string> StuckOnly => stuckOnly;

    public IReadOnlyList<RestartMark> Marks
    {
        get
        {
            lock (marks)
            {
                return [.. marks];
            }
        }
    }

    public bool Settled(string orderId) => latest.TryGetValue(orderId, out var s) && s.Completed || openCases.Contains(orderId);

    /// <summary>Orders in flight now (not settled, not waiting on a person or stock): they must move after a restart.</summary>
    public Dictionary<string, string> InFlight(IEnumerable<string> accepted) =>
        accepted.Where(id => !this.Settled(id) && !(latest.TryGetValue(id, out var s) && s.Waiting))
            .ToDictionary(id => id, id => latest.TryGetValue(id, out var s) ? $"{s.Status}/{s.Step}" : "not seen yet", StringComparer.Ordinal);

    public RestartMark Mark(string what, IReadOnlyDictionary<string, string> inFlight)
    {
        var mark = new RestartMark(what, DateTimeOffset.MaxValue, inFlight);
        lock (marks)
        {
            marks.Add(mark);
        }

        return mark;
    }

    public async Task RunAsync(Func<IReadOnlyCollection<string>> accepted, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await this.PollOnceAsync(accepted(), cancellationToken);
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task PollOnceAsync(IReadOnlyCollection<string> accepted, CancellationToken cancellationToken)
    {
        if (await api.GetAsync("/api/cases", cancellationToken) is (200, var casesJson))
        {
            using var doc = JsonDocument.Parse(casesJson);
            var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
            openCases = [.. cases.Select(c => c.GetProperty("orderId").GetString()!)];
            var now = DateTimeOffset.UtcNow;
            foreach (var mark in this.Marks)
            {
                // An order a case holds is settled: it counts as moved for a restart (it is no longer read every second).
                foreach (var orderId in openCases)
                {
                    mark.Moved(orderId, now);
                }
            }

            stuckOnly = [.. cases.GroupBy(c => c.GetProperty("orderId").GetString()!)
                .Where(g => g.All(c => c.GetProperty("reason").GetString() == "Stuck"))
                .Select(g => g.Key)];
        }

        // Orders held by an open case are settled for the soak and need no reading every second (hundreds of them would
        // keep six requests on the host all the time); they are read again once no case holds them.
        var todo = accepted.Where(id => !(latest.TryGetValue(id, out var s) && s.Completed) && !openCases.Contains(id)).ToList();
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            await this.RefreshAsync(id, ct);
        });
    }

    public async Task<OrderSnapshot?> RefreshAsync(string orderId, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync($"/api/orders/{Uri.EscapeDataString(orderId)}", cancellationToken);
        if (answer is not (200, var json))
        {
            return latest.GetValueOrDefault(orderId);
        }

        var now = DateTimeOffset.UtcNow;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var status = root.GetProperty("status").GetString() ?? string.Empty;
        string? runtime = null, step = null;
        if (root.TryGetProperty("workflow", out var workflow) && workflow.ValueKind == JsonValueKind.Object)
        {
            runtime = workflow.GetProperty("runtimeStatus").GetString();
            step = workflow.TryGetProperty("step", out var s) ? s.ToString() : null;
        }

        var fulfillments = string.Join(",", root.GetProperty("fulfillments").EnumerateArray().Select(f => f.GetProperty("status").GetString()));
        var fingerprint = $"{status}|{runtime}|{step}|{root.GetProperty("timeline").GetArrayLength()}|{fulfillments}";
        var snapshot = latest.AddOrUpdate(
            orderId,
            _ => new OrderSnapshot(orderId, status, runtime, step, fingerprint, now, json),
            (_, old) => old.Fingerprint == fingerprint ? old with { Json = json } : new OrderSnapshot(orderId, status, runtime, step, fingerprint, now, json));
        if (snapshot.ChangedAt == now || snapshot.Completed || openCases.Contains(orderId))
        {
            foreach (var mark in this.Marks)
            {
                mark.Moved(orderId, now);
            }
        }

        return snapshot;
    }
}
