using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Locks one counter and waits inside the critical section for <see cref="EventName"/> (a holder that can be terminated mid-lock).</summary>
public sealed class LockHolderOrchestrator : TaskOrchestrator<string, int>
{
    public const string EventName = "Leave";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counter = new EntityInstanceId(nameof(CounterEntity), input);
        await using (await context.Entities.LockEntitiesAsync(counter))
        {
            context.SetCustomStatus("locked");
            await context.WaitForExternalEvent<string>(EventName);
            return await context.Entities.CallEntityAsync<int>(counter, nameof(CounterEntity.Get));
        }
    }
}
