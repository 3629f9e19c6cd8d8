using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Engine;

namespace OrderFlow.Bench.Workflows;

/// <summary>Input of <see cref="BenchOrderShapeOrchestrator"/>: the SKUs of the order it imitates (one entity per SKU).</summary>
public sealed record BenchOrderShapeInput(IReadOnlyList<string> Skus);

/// <summary>
/// Scenario "engine-limit": the durable actions of a real order (revision 8, counted by the "actions" scenario) with no
/// work in them. 20 trivial activities, per SKU 3 entity calls (read and reserve inside a lock on the order's SKU
/// entities, commit after shipping; the calls of one kind sent together), one lock, and a wait for a confirmation
/// event raised by the hand-off activity, raced against a 30-minute timer. A two-line order is 29 actions, as the real one.
/// What it reaches is the engine's limit for the order's shape; the real order's rate is read against it.
/// </summary>
public sealed class BenchOrderShapeOrchestrator : TaskOrchestrator<BenchOrderShapeInput, int>
{
    /// <summary>The activities of a simple order (20, see docs/performance.md "Durable actions of a simple order").</summary>
    public const int Activities = 20;

    public const string ConfirmationEvent = "BenchShipped";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, BenchOrderShapeInput input)
    {
        var value = 0;
        async Task Steps(int n)
        {
            for (var k = 0; k < n; k++)
            {
                value = await context.CallActivityAsync<int>(nameof(BenchAddOneActivity), value);
            }
        }

        var entities = input.Skus.Distinct(StringComparer.Ordinal).Select(sku => new EntityInstanceId(nameof(BenchNoOpEntity), sku)).ToArray();
        Task<int[]> TouchAll() => Task.WhenAll(entities.Select(e => context.Entities.CallEntityAsync<int>(e, nameof(BenchNoOpEntity.Touch))));

        // received, validated (+ status), payment (+ status, email), fraud, stock policies
        await Steps(1 + 2 + 3 + 1 + 1);
        await using (await context.Entities.LockEntitiesAsync(entities))
        {
            await TouchAll();   // stock reads
            await Steps(1);     // allocation plan
            await TouchAll();   // reservations
        }

        await Steps(1 + 3);     // status; route, status, label
        value = await context.CallActivityAsync<int>(nameof(BenchConfirmActivity), value);
        await Steps(1);         // fulfillment record
        await context.WaitForExternalEvent<int>(ConfirmationEvent, TimeSpan.FromMinutes(30));
        await TouchAll();       // commits
        await Steps(1 + 1 + 3); // fulfillment record, shipped email; capture, sale, status
        return value;
    }
}

/// <summary>The hand-off of <see cref="BenchOrderShapeOrchestrator"/>: raises the confirmation back at once, as the bench's warehouse does.</summary>
public sealed class BenchConfirmActivity(TaskHubWorkflowClient client) : TaskActivity<int, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await client.RaiseEventAsync(context.InstanceId, BenchOrderShapeOrchestrator.ConfirmationEvent, input);
        return input + 1;
    }
}

/// <summary>An entity whose one operation counts its calls: the entity round trip without the inventory rules.</summary>
public sealed class BenchNoOpEntity : TaskEntity<int>
{
    public int Touch() => ++this.State;
}
