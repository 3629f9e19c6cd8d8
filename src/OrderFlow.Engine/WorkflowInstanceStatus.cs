using DurableTask.Core;
using Microsoft.DurableTask.Client;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace OrderFlow.Engine;

/// <summary>A snapshot of one orchestration instance as the client reads it.</summary>
public sealed class WorkflowInstanceStatus
{
    private readonly DataConverter dataConverter;

    internal WorkflowInstanceStatus(OrchestrationState state, DataConverter dataConverter)
    {
        this.dataConverter = dataConverter;
        this.InstanceId = state.OrchestrationInstance.InstanceId;
        this.Name = state.Name;
        this.RuntimeStatus = (OrchestrationRuntimeStatus)(int)state.OrchestrationStatus;
        this.CreatedAt = AsUtc(state.CreatedTime);
        this.LastUpdatedAt = AsUtc(state.LastUpdatedTime);
        this.SerializedInput = state.Input;
        this.SerializedCustomStatus = state.Status;
        bool failed = state.OrchestrationStatus == OrchestrationStatus.Failed;
        this.SerializedOutput = failed ? null : state.Output;
        this.FailureType = failed ? state.FailureDetails?.ErrorType : null;
        this.FailureMessage = failed ? state.FailureDetails?.ErrorMessage ?? state.Output : null;
    }

    /// <summary>Instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Orchestrator name (its class name).</summary>
    public string Name { get; }

    /// <summary>Runtime status, with the same values as the Functions host's client reports.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; }

    /// <summary>When the instance was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the instance last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; }

    /// <summary>Input as stored (JSON by default).</summary>
    public string? SerializedInput { get; }

    /// <summary>Output as stored, when completed.</summary>
    public string? SerializedOutput { get; }

    /// <summary>Custom status as stored, if the orchestrator set one.</summary>
    public string? SerializedCustomStatus { get; }

    /// <summary>Exception type of the failure, when <see cref="RuntimeStatus"/> is Failed.</summary>
    public string? FailureType { get; }

    /// <summary>Failure message, when <see cref="RuntimeStatus"/> is Failed.</summary>
    public string? FailureMessage { get; }

    /// <summary>Whether the instance has finished (completed, failed, terminated or canceled) and will not run again.</summary>
    public bool IsTerminal => IsTerminalStatus(this.RuntimeStatus);

    /// <summary>Deserializes the input with the engine's converter.</summary>
    public T? ReadInputAs<T>() => this.dataConverter.Deserialize<T>(this.SerializedInput);

    /// <summary>Deserializes the output with the engine's converter.</summary>
    public T? ReadOutputAs<T>() => this.dataConverter.Deserialize<T>(this.SerializedOutput);

    /// <summary>Deserializes the custom status with the engine's converter.</summary>
    public T? ReadCustomStatusAs<T>() => this.dataConverter.Deserialize<T>(this.SerializedCustomStatus);

    /// <inheritdoc />
    public override string ToString()
        => this.FailureMessage is null
            ? $"{this.Name} '{this.InstanceId}': {this.RuntimeStatus}"
            : $"{this.Name} '{this.InstanceId}': {this.RuntimeStatus} ({this.FailureType}: {this.FailureMessage})";

    internal static bool IsTerminalStatus(OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Completed
            or OrchestrationRuntimeStatus.Failed
            or OrchestrationRuntimeStatus.Terminated
#pragma warning disable CS0618 // Canceled is obsolete in the client enum but still a terminal value in DurableTask.Core.
            or OrchestrationRuntimeStatus.Canceled;
#pragma warning restore CS0618

    private static DateTimeOffset AsUtc(DateTime value)
        => value == default ? default : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
