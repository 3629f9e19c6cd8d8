using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.Entities;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using OrderFlow.Engine;

namespace OrderFlow.Workflows.Tests.Replay;

/// <summary>
/// Replays a recorded orchestration history against the current orchestrator code, offline, through the same shim and
/// DurableTask.Core executor the engine uses, and records every durable action the code asks for on the way. Replaying
/// a whole history is what an in-flight instance does after a deploy: a different action fails with the engine's
/// non-determinism error, and a different input, fire time, wait or status shows in the recorded actions.
/// </summary>
public static class HistoryReplayer
{
    private static readonly JsonSerializerSettings HistorySettings = new()
    {
        TypeNameHandling = TypeNameHandling.Objects,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        Formatting = Formatting.None,
        NullValueHandling = NullValueHandling.Ignore,
    };

    public static string SerializeHistory(IEnumerable<HistoryEvent> history) => JsonConvert.SerializeObject(history.ToList(), HistorySettings);

    public static List<HistoryEvent> DeserializeHistory(string json) =>
        JsonConvert.DeserializeObject<List<HistoryEvent>>(json, HistorySettings) ?? throw new InvalidDataException("Empty history.");

    /// <summary>Reads a history serialized without type names (Azure Storage's), by each event's EventType.</summary>
    public static List<HistoryEvent> ParseUntyped(string json)
    {
        var types = typeof(HistoryEvent).Assembly.GetTypes()
            .Where(t => typeof(HistoryEvent).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Type: t, Event: (HistoryEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t)))
            .GroupBy(x => x.Event.EventType)
            .ToDictionary(g => g.Key, g => g.First().Type);
        var serializer = JsonSerializer.Create(new JsonSerializerSettings { DateTimeZoneHandling = DateTimeZoneHandling.Utc });
        return Newtonsoft.Json.Linq.JArray.Parse(json)
            .Select(e => (HistoryEvent)e.ToObject(types[e["EventType"]!.ToObject<EventType>()], serializer)!)
            .ToList();
    }

    /// <summary>
    /// Runs the orchestrator named in the history's ExecutionStarted event over every recorded event (the completion
    /// itself left out, so the code produces it again) and returns the actions it asked for, then how it ended.
    /// </summary>
    public static IReadOnlyList<string> Replay(IReadOnlyList<HistoryEvent> history)
    {
        var started = history.OfType<ExecutionStartedEvent>().Single();
        var name = started.Name;
        var type = WorkflowRegistry.Orchestrators.Single(t => t.Name == name);
        var actions = new List<string>();
        var recording = new RecordingOrchestrator((ITaskOrchestrator)Activator.CreateInstance(type)!, actions);

        var factory = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { EnableEntitySupport = true, DataConverter = JsonDataConverter.Default }, NullLoggerFactory.Instance);
        var orchestration = factory.CreateOrchestration(new TaskName(name), recording, parent: null);

        var past = history.Where(e => e is not ExecutionCompletedEvent).ToList();
        var state = new OrchestrationRuntimeState(past);
        var service = new InMemoryEntityOrchestrationService();
        var entityParameters = TaskOrchestrationEntityParameters.FromEntityBackendProperties(service.EntityBackendProperties);
        var executor = new TaskOrchestrationExecutor(state, orchestration, BehaviorOnContinueAsNew.Carryover, entityParameters, ErrorPropagationMode.UseFailureDetails);
        var result = executor.Execute();

        var ends = result.Actions.OfType<OrchestrationCompleteOrchestratorAction>().ToList();
        var completed = history.OfType<ExecutionCompletedEvent>().SingleOrDefault();
        if (completed is null)
        {
            actions.Add($"pending ({result.Actions.Count()} new action(s))");
        }
        else
        {
            var end = ends.SingleOrDefault() ?? throw new InvalidOperationException(
                $"Replaying {started.OrchestrationInstance.InstanceId} did not complete the orchestration; it asked for: "
                + string.Join(", ", result.Actions.Select(a => a.OrchestratorActionType)));
            actions.Add($"end {end.OrchestrationStatus} {end.Result}");
            if (end.Result != completed.Result || end.OrchestrationStatus != completed.OrchestrationStatus)
            {
                actions.Add($"RECORDED END DIFFERS: {completed.OrchestrationStatus} {completed.Result}");
            }
        }

        return actions;
    }

    private sealed class RecordingOrchestrator(ITaskOrchestrator inner, List<string> actions) : ITaskOrchestrator
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            inner.RunAsync(new RecordingOrchestrationContext(context, actions), input);
    }
}
