using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Workflows.Tests.Replay;

/// <summary>
/// Wraps the engine's orchestration context and writes every durable action the orchestrator code asks for (activity
/// with its input and retry policy, timer and its fire time, external event wait, custom status, entity call, signal
/// and lock, sub-orchestration, event sent, continue-as-new) to <see cref="Actions"/>, one line each, in call order.
/// </summary>
public sealed class RecordingOrchestrationContext : TaskOrchestrationContext
{
    private readonly TaskOrchestrationContext inner;
    private readonly RecordingEntityFeature entities;

    public RecordingOrchestrationContext(TaskOrchestrationContext inner, List<string> actions)
    {
        this.inner = inner;
        this.Actions = actions;
        this.entities = new RecordingEntityFeature(inner.Entities, actions);
    }

    public List<string> Actions { get; }

    public override TaskName Name => this.inner.Name;

    public override string InstanceId => this.inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => this.inner.Parent;

    public override DateTime CurrentUtcDateTime => this.inner.CurrentUtcDateTime;

    public override bool IsReplaying => this.inner.IsReplaying;

    public override TaskOrchestrationEntityFeature Entities => this.entities;

    protected override ILoggerFactory LoggerFactory => Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public static string Json(object? value) => value is null ? "null" : JsonDataConverter.Default.Serialize(value) ?? "null";

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        this.Actions.Add($"activity {name.Name} retry={Describe(options)} {Json(input)}");
        return this.inner.CallActivityAsync<TResult>(name, input, options);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        this.Actions.Add($"timer {fireAt:O} (in {fireAt - this.inner.CurrentUtcDateTime})");
        return this.inner.CreateTimer(fireAt, cancellationToken);
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        this.Actions.Add($"wait {eventName} as {typeof(T).Name}");
        return this.inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        this.Actions.Add($"send {instanceId} {eventName} {Json(payload)}");
        this.inner.SendEvent(instanceId, eventName, payload);
    }

    public override void SetCustomStatus(object? customStatus)
    {
        this.Actions.Add($"status {Json(customStatus)}");
        this.inner.SetCustomStatus(customStatus);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        var instance = options is SubOrchestrationOptions sub ? sub.InstanceId : null;
        this.Actions.Add($"sub-orchestration {orchestratorName.Name} {instance} retry={Describe(options)} {Json(input)}");
        return this.inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        this.Actions.Add($"continue-as-new preserve={preserveUnprocessedEvents} {Json(newInput)}");
        this.inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
    }

    public override Guid NewGuid()
    {
        this.Actions.Add("new-guid");
        return this.inner.NewGuid();
    }

    public override T GetInput<T>() => this.inner.GetInput<T>()!;

    private static string Describe(TaskOptions? options) =>
        options?.Retry?.Policy is { } p
            ? $"{p.MaxNumberOfAttempts}/{p.FirstRetryInterval}/{p.BackoffCoefficient}/{p.MaxRetryInterval}"
            : options?.Retry is null ? "none" : "handler";
}
