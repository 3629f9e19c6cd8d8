using DurableTask.Core;
using Microsoft.DurableTask;

namespace OrderFlow.Engine;

/// <summary>
/// Defers creating the orchestrator shim until the dispatcher runs it, so that dispatcher middleware can first
/// supply the parent instance (DurableTask.Core creates task objects from name and version only, which
/// otherwise leaves <see cref="TaskOrchestrationContext.Parent"/> null in sub-orchestrations).
/// </summary>
internal sealed class ShimOrchestrationAdapter : TaskOrchestration
{
    private readonly Func<ParentOrchestrationInstance?, TaskOrchestration> createShim;
    private TaskOrchestration? shim;

    public ShimOrchestrationAdapter(Func<ParentOrchestrationInstance?, TaskOrchestration> createShim)
    {
        this.createShim = createShim;
    }

    /// <summary>Parent of this instance when it runs as a sub-orchestration; set before the first episode runs.</summary>
    public ParentOrchestrationInstance? Parent { get; set; }

    private TaskOrchestration Shim => this.shim ??= this.createShim(this.Parent);

    public override Task<string> Execute(OrchestrationContext context, string input) => this.Shim.Execute(context, input);

    public override void RaiseEvent(OrchestrationContext context, string name, string input) => this.Shim.RaiseEvent(context, name, input);

    public override string GetStatus() => this.Shim.GetStatus();
}
