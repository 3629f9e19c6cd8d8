using Microsoft.DurableTask.Entities;

namespace OrderFlow.Workflows.Tests.Replay;

/// <summary>The entity side of <see cref="RecordingOrchestrationContext"/>: calls, signals and critical sections, in call order.</summary>
public sealed class RecordingEntityFeature(TaskOrchestrationEntityFeature inner, List<string> actions) : TaskOrchestrationEntityFeature
{
    public override Task<TResult> CallEntityAsync<TResult>(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null)
    {
        actions.Add($"entity-call {id} {operationName} {RecordingOrchestrationContext.Json(input)}");
        return inner.CallEntityAsync<TResult>(id, operationName, input, options);
    }

    public override Task CallEntityAsync(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null)
    {
        actions.Add($"entity-call {id} {operationName} {RecordingOrchestrationContext.Json(input)}");
        return inner.CallEntityAsync(id, operationName, input, options);
    }

    public override Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null)
    {
        actions.Add($"entity-signal {id} {operationName} {RecordingOrchestrationContext.Json(input)}");
        return inner.SignalEntityAsync(id, operationName, input, options);
    }

    public override Task<IAsyncDisposable> LockEntitiesAsync(IEnumerable<EntityInstanceId> entityIds)
    {
        var ids = entityIds.ToList();
        actions.Add($"entity-lock [{string.Join(", ", ids)}]");
        return inner.LockEntitiesAsync(ids);
    }

    public override bool InCriticalSection([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<EntityInstanceId>? entityIds) =>
        inner.InCriticalSection(out entityIds);
}
