using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OrderFlow.Bench;

/// <summary>
/// Counts the app's Azure Table writes (every request but GET/HEAD; a batch counts once) by the durable activity that
/// made them. The activity is read from DurableTask.Core's own trace span ("durabletask.task.name"), which the engine
/// starts around every activity execution once something listens to its ActivitySource; writes outside an activity
/// are counted as the webhook request's or as background work. The engine's own task-hub storage is not counted.
/// </summary>
public sealed class TableWriteCounter : HttpPipelineSynchronousPolicy, IDisposable
{
    private const string NameTag = "durabletask.task.name";
    private const string TypeTag = "durabletask.type";
    private readonly ConcurrentDictionary<string, int> writes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> executions = new(StringComparer.Ordinal);
    private readonly ActivityListener listener;

    public TableWriteCounter()
    {
        this.listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("DurableTask", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                // The orchestration side traces the scheduling too (another kind); the worker's execution is the server span.
                if (activity.Kind == ActivityKind.Server && IsActivity(activity) && activity.GetTagItem(NameTag) is string name)
                {
                    this.executions.AddOrUpdate(name, 1, (_, n) => n + 1);
                }
            },
        };
        ActivitySource.AddActivityListener(this.listener);
    }

    /// <summary>Counts only while true (the warm-up is not counted).</summary>
    public bool Recording { get; set; }

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!this.Recording || message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            return;
        }

        var owner = "(outside any activity: webhook request or background work)";
        for (var span = Activity.Current; span is not null; span = span.Parent)
        {
            if (IsActivity(span) && span.GetTagItem(NameTag) is string name)
            {
                owner = name;
                break;
            }
        }

        this.writes.AddOrUpdate(owner, 1, (_, n) => n + 1);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine("          table writes by activity (HTTP requests to the app's tables other than GET/HEAD, counted by a pipeline policy):");
        foreach (var (name, count) in this.writes.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var runs = this.executions.GetValueOrDefault(name);
            output.WriteLine(runs > 0
                ? FormattableString.Invariant($"            {name,-40} {count,6} writes / {runs,5} runs = {count / (double)runs,4:F2} per run")
                : FormattableString.Invariant($"            {name,-40} {count,6} writes"));
        }

        foreach (var (name, runs) in this.executions.Where(e => !this.writes.ContainsKey(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            output.WriteLine(FormattableString.Invariant($"            {name,-40}      0 writes / {runs,5} runs"));
        }
    }

    public void Dispose() => this.listener.Dispose();

    private static bool IsActivity(Activity span) => span.GetTagItem(TypeTag) is string type && type.Equals("activity", StringComparison.OrdinalIgnoreCase);
}
