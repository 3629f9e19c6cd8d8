using Microsoft.DurableTask;
using Moq;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>Runs an activity directly, as the engine would, with a fixed clock.</summary>
internal static class ActivityRun
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static TimeProvider Clock()
    {
        var clock = new Mock<TimeProvider>();
        clock.Setup(c => c.GetUtcNow()).Returns(Now);
        return clock.Object;
    }

    public static Task<TOutput> RunAsync<TInput, TOutput>(TaskActivity<TInput, TOutput> activity, TInput input, string instanceId)
    {
        var context = new Mock<TaskActivityContext>();
        context.SetupGet(c => c.Name).Returns(new TaskName(activity.GetType().Name));
        context.SetupGet(c => c.InstanceId).Returns(instanceId);
        return activity.RunAsync(context.Object, input);
    }
}
