using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Signals Add(2), calls Add(3), then returns Get: one sender's operations arrive in order.</summary>
public sealed class EntityCallerOrchestrator : TaskOrchestrator<string, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, string input)
    {
        var counter = new EntityInstanceId(nameof(CounterEntity), input);
        await context.Entities.SignalEntityAsync(counter, nameof(CounterEntity.Add), 2);
        await context.Entities.CallEntityAsync(counter, nameof(CounterEntity.Add), 3);
        return await context.Entities.CallEntityAsync<int>(counter, nameof(CounterEntity.Get));
    }
}
