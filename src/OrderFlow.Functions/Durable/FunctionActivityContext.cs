using Microsoft.DurableTask;

namespace OrderFlow.Functions.Durable;

/// <summary>
/// The <see cref="TaskActivityContext"/> handed to class-based activities from a hand-written activity trigger.
/// The isolated worker does not bind a <see cref="TaskActivityContext"/> itself; the trigger's binding data carries the
/// orchestration instance id (<c>instanceId</c>), which is what Microsoft's own source generator passes on the same way.
/// </summary>
public sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
