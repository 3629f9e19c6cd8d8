using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>
/// Increments two counters by reading and then writing each, inside one critical section over both.
/// Without the lock, concurrent instances would overwrite each other's increments. Returns the first counter's new value.
/// </summary>
public sealed class LockedIncrementOrchestrator : TaskOrchestrator<CounterPair, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, CounterPair input)
    {
        var first = new EntityInstanceId(nameof(CounterEntity), input.FirstKey);
        var second = new EntityInstanceId(nameof(CounterEntity), input.SecondKey);
        await using (await context.Entities.LockEntitiesAsync(first, second))
        {
            int firstValue = await context.Entities.CallEntityAsync<int>(first, nameof(CounterEntity.Get));
            int secondValue = await context.Entities.CallEntityAsync<int>(second, nameof(CounterEntity.Get));
            await context.Entities.CallEntityAsync(first, nameof(CounterEntity.Set), firstValue + 1);
            await context.Entities.CallEntityAsync(second, nameof(CounterEntity.Set), secondValue + 1);
            return firstValue + 1;
        }
    }
}
