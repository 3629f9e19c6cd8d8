using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Engine;

namespace OrderFlow.Bench.Workflows;

/// <summary>
/// The durable actions of one order, by kind, as the "actions" scenario counts them from a real order's history: per
/// order the activities, entity locks, timers, external events and sub-orchestrations; per SKU line the entity calls
/// and signals (the counted order has two lines). <see cref="Events"/> are the events raised from outside (the location's
/// confirmation); <see cref="EventsSent"/> the events one workflow of the order sends another (a parent and its child
/// workflows), each also received, so each counts twice.
/// </summary>
public sealed record OrderShape(int Activities, int CallsPerSku, int SignalsPerSku, int Locks, int Timers, int Events, int SubOrchestrations, int EventsSent = 0)
{
    /// <summary>Revision 8's shape (29 actions for two lines), the standalone "engine-limit" scenario's default.</summary>
    public static readonly OrderShape Revision8 = new(20, 3, 0, 1, 1, 1, 0);

    /// <summary>The shape of a counted order of <paramref name="lines"/> SKU lines, from its action totals by kind.</summary>
    public static OrderShape FromCounts(IReadOnlyDictionary<string, int> kinds, int lines)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        int Of(string kind) => kinds.GetValueOrDefault(kind);
        return new OrderShape(
            Of("activity"), (Of("entity call") + lines - 1) / lines, (Of("entity signal") + lines - 1) / lines,
            Of("entity lock"), Of("timer"), Math.Max(0, Of("event") - Of("event sent")), Of("sub-orch"), Of("event sent"));
    }

    /// <summary>Durable actions of an order of <paramref name="lines"/> lines in this shape.</summary>
    public int ActionsFor(int lines) =>
        this.Activities + ((this.CallsPerSku + this.SignalsPerSku) * lines) + this.Locks + this.Timers + this.Events + this.SubOrchestrations + (2 * this.EventsSent);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{this.Activities} activities, {this.CallsPerSku} entity calls and {this.SignalsPerSku} signals per SKU, {this.Locks} lock(s), {this.Timers} timer(s), {this.Events} event(s), {this.SubOrchestrations} sub-orchestration(s), {this.EventsSent} event(s) sent between workflows");
}

/// <summary>Input of <see cref="BenchOrderShapeOrchestrator"/>: the SKUs of the order it imitates (one entity per SKU) and its shape.</summary>
public sealed record BenchOrderShapeInput(IReadOnlyList<string> Skus, OrderShape? Shape = null);

/// <summary>
/// Scenario "engine-limit" (and the engine-limit row of "targets"): an order's durable actions (<see cref="OrderShape"/>)
/// with no work in them, laid out like an order: trivial activities; the entity calls sent together per round to the
/// order's SKU entities (<see cref="BenchNoOpEntity"/>), all rounds but the last inside the first lock (with an
/// activity between rounds, as the allocation plan); the hand-off activity raises the order's events back at once and
/// the orchestrator waits for them, the first raced against a 30-minute timer (the shipped-confirmation wait); further
/// timers fire at once; then the last round of calls (the commits), the signals, the events sent (to itself, then
/// received, as a parent and its child workflow send each other), the sub-orchestrations (no-op), the
/// other locks (empty) and the remaining activities. With <see cref="OrderShape.Revision8"/> this is 29 actions for a
/// two-line order, as revision 8 counted. What it reaches is the engine's limit for the order's shape.
/// </summary>
public sealed class BenchOrderShapeOrchestrator : TaskOrchestrator<BenchOrderShapeInput, int>
{
    /// <summary>The activities of <see cref="OrderShape.Revision8"/>.</summary>
    public const int Activities = 20;

    public const string ConfirmationEvent = "BenchShipped";

    public const string SentEvent = "BenchSent";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, BenchOrderShapeInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape ?? OrderShape.Revision8;
        var value = 0;
        var left = shape.Activities;
        async Task Steps(int n)
        {
            n = Math.Clamp(n, 0, left);
            for (var k = 0; k < n; k++, left--)
            {
                value = await context.CallActivityAsync<int>(nameof(BenchAddOneActivity), value);
            }
        }

        var entities = input.Skus.Distinct(StringComparer.Ordinal).Select(sku => new EntityInstanceId(nameof(BenchNoOpEntity), sku)).ToArray();
        Task<int[]> TouchAll() => Task.WhenAll(entities.Select(e => context.Entities.CallEntityAsync<int>(e, nameof(BenchNoOpEntity.Touch))));

        // received, validated, payment, fraud, stock policies (two fifths); reads and reservations in the lock.
        await Steps(shape.Activities * 2 / 5);
        var early = Math.Max(0, shape.CallsPerSku - 1);
        async Task EarlyRounds()
        {
            for (var round = 0; round < early; round++)
            {
                if (round > 0)
                {
                    await Steps(1);
                }

                await TouchAll();
            }
        }

        if (shape.Locks > 0)
        {
            await using (await context.Entities.LockEntitiesAsync(entities))
            {
                await EarlyRounds();
            }
        }
        else
        {
            await EarlyRounds();
        }

        await Steps(shape.Activities / 5);   // status, route, label
        if (shape.Events > 0 && left > 0)
        {
            left--;
            value = await context.CallActivityAsync<int>(nameof(BenchConfirmActivity), new BenchConfirmInput(value, shape.Events));
        }

        await Steps(1);                      // fulfillment record
        var timers = shape.Timers;
        for (var e = 0; e < shape.Events; e++)
        {
            var name = ConfirmationEvent + e.ToString(CultureInfo.InvariantCulture);
            if (timers > 0)
            {
                timers--;
                await context.WaitForExternalEvent<int>(name, TimeSpan.FromMinutes(30));
            }
            else
            {
                await context.WaitForExternalEvent<int>(name);
            }
        }

        for (; timers > 0; timers--)
        {
            await context.CreateTimer(context.CurrentUtcDateTime, CancellationToken.None);
        }

        if (shape.CallsPerSku > 0)
        {
            await TouchAll();                // commits
        }

        for (var s = 0; s < shape.SignalsPerSku; s++)
        {
            foreach (var entity in entities)
            {
                await context.Entities.SignalEntityAsync(entity, nameof(BenchNoOpEntity.Touch));
            }
        }

        for (var e = 0; e < shape.EventsSent; e++)
        {
            // As a parent and its child workflow talk: one sends, the other receives (here the same instance).
            var name = SentEvent + e.ToString(CultureInfo.InvariantCulture);
            context.SendEvent(context.InstanceId, name, value);
            await context.WaitForExternalEvent<int>(name);
        }

        for (var c = 0; c < shape.SubOrchestrations; c++)
        {
            await context.CallSubOrchestratorAsync<int>(nameof(BenchNoOpChildOrchestrator), c);
        }

        for (var l = 1; l < shape.Locks; l++)
        {
            await using (await context.Entities.LockEntitiesAsync(entities))
            {
            }
        }

        await Steps(left);                   // shipped email, capture, sale, status
        return value;
    }
}

/// <summary>Input of <see cref="BenchConfirmActivity"/>: the running value and how many events to raise.</summary>
public sealed record BenchConfirmInput(int Value, int Events);

/// <summary>The hand-off of <see cref="BenchOrderShapeOrchestrator"/>: raises its events back at once, as the bench's warehouse does.</summary>
public sealed class BenchConfirmActivity(TaskHubWorkflowClient client) : TaskActivity<BenchConfirmInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, BenchConfirmInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        for (var e = 0; e < input.Events; e++)
        {
            await client.RaiseEventAsync(context.InstanceId, BenchOrderShapeOrchestrator.ConfirmationEvent + e.ToString(CultureInfo.InvariantCulture), input.Value);
        }

        return input.Value + 1;
    }
}

/// <summary>A sub-orchestration with no work: one durable action of that kind.</summary>
public sealed class BenchNoOpChildOrchestrator : TaskOrchestrator<int, int>
{
    public override Task<int> RunAsync(TaskOrchestrationContext context, int input) => Task.FromResult(input);
}

/// <summary>An entity whose one operation counts its calls: the entity round trip without the inventory rules.</summary>
public sealed class BenchNoOpEntity : TaskEntity<int>
{
    public int Touch() => ++this.State;
}
