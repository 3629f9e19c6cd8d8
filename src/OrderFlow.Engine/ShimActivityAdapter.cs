using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace OrderFlow.Engine;

/// <summary>
/// Runs one activity invocation in its own DI scope: the class-based activity is constructed from the scope
/// (constructor injection), wrapped by the DurableTask shim, and the scope is disposed when it returns.
/// </summary>
internal sealed class ShimActivityAdapter : TaskActivity
{
    private readonly IServiceProvider services;
    private readonly Type activityType;
    private readonly ObjectFactory factory;
    private readonly TaskName name;
    private readonly DurableTaskShimFactory shimFactory;

    public ShimActivityAdapter(IServiceProvider services, Type activityType, ObjectFactory factory, TaskName name, DurableTaskShimFactory shimFactory)
    {
        this.services = services;
        this.activityType = activityType;
        this.factory = factory;
        this.name = name;
        this.shimFactory = shimFactory;
    }

    public override string Run(TaskContext context, string input)
        => throw new NotSupportedException("Activities run asynchronously; DurableTask.Core calls RunAsync.");

    public override async Task<string> RunAsync(TaskContext context, string input)
    {
        AsyncServiceScope scope = this.services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var activity = (ITaskActivity)(scope.ServiceProvider.GetService(this.activityType) ?? this.factory(scope.ServiceProvider, null));
            TaskActivity shim = this.shimFactory.CreateActivity(this.name, activity);
            return await shim.RunAsync(context, input).ConfigureAwait(false);
        }
    }
}
