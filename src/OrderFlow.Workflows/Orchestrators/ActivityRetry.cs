using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>The durable retry policies around activities: the store's (exponential, x2, capped at 5 min) and the stock helpers' fixed one.</summary>
public static class ActivityRetry
{
    /// <summary>For the short stock orchestrations (adjustments, releases): 5 attempts, 1 s apart at first.</summary>
    public static TaskOptions Standard { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1)));

    /// <summary>The store's policy from the workflow settings (Workflow:ActivityMaxAttempts, ActivityFirstRetryInterval).</summary>
    public static TaskOptions For(OrderWorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: settings.ActivityMaxAttempts,
            firstRetryInterval: settings.ActivityFirstRetryInterval ?? TimeSpan.FromSeconds(5),
            backoffCoefficient: 2.0,
            maxRetryInterval: TimeSpan.FromMinutes(5)));
    }
}
