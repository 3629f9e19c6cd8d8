using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Bench.Workflows;

/// <summary>Input of <see cref="BenchFiveStepOrchestrator"/>.</summary>
public sealed record BenchStepInput(int Value);

/// <summary>Scenario "engine": five activity calls in a row, nothing else.</summary>
public sealed class BenchFiveStepOrchestrator : TaskOrchestrator<BenchStepInput, int>
{
    public const int Steps = 5;

    public override async Task<int> RunAsync(TaskOrchestrationContext context, BenchStepInput input)
    {
        var value = input.Value;
        for (var i = 0; i < Steps; i++)
        {
            value = await context.CallActivityAsync<int>(nameof(BenchAddOneActivity), value);
        }

        return value;
    }
}

/// <summary>The trivial activity of the "engine" scenario.</summary>
public sealed class BenchAddOneActivity : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input + 1);
}

/// <summary>Input of <see cref="BenchInventoryOpsOrchestrator"/>: which SKU entity, and how many Reserve+Release pairs.</summary>
public sealed record BenchInventoryOpsInput(string Sku, int Pairs);

/// <summary>
/// Output of <see cref="BenchInventoryOpsOrchestrator"/>: entity operations done, how many reservations succeeded, and
/// each call's round trip in milliseconds as the orchestration saw it (difference of the episode clocks around it).
/// </summary>
public sealed record BenchInventoryOpsResult(int Operations, int Reserved, IReadOnlyList<double> OperationMillis);

/// <summary>
/// Scenario "entity": Reserve then Release one unit on the real <see cref="InventoryEntity"/>, <c>Pairs</c> times.
/// Every call waits for its response, so each is one entity round trip (request message, batch, response message, episode).
/// </summary>
public sealed class BenchInventoryOpsOrchestrator : TaskOrchestrator<BenchInventoryOpsInput, BenchInventoryOpsResult>
{
    public override async Task<BenchInventoryOpsResult> RunAsync(TaskOrchestrationContext context, BenchInventoryOpsInput input)
    {
        var entity = new EntityInstanceId(nameof(InventoryEntity), input.Sku);
        var millis = new List<double>(input.Pairs * 2);
        var reserved = 0;
        for (var pair = 0; pair < input.Pairs; pair++)
        {
            var holder = $"{context.InstanceId}-{pair}";
            var before = context.CurrentUtcDateTime;
            var outcome = await context.Entities.CallEntityAsync<OrderFlow.Domain.Inventory.ReservationOutcome>(
                entity,
                nameof(InventoryEntity.Reserve),
                new ReserveStockRequest(holder, 1, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero).AddDays(1)));
            var between = context.CurrentUtcDateTime;
            millis.Add((between - before).TotalMilliseconds);
            reserved += outcome.Succeeded ? 1 : 0;

            await context.Entities.CallEntityAsync<StockRelease>(entity, nameof(InventoryEntity.Release), new ReleaseStockRequest(holder, "release", "bench"));
            millis.Add((context.CurrentUtcDateTime - between).TotalMilliseconds);
        }

        return new BenchInventoryOpsResult(input.Pairs * 2, reserved, millis);
    }
}
