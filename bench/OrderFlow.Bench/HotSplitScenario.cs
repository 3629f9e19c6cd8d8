using Microsoft.DurableTask.Client;
using OrderFlow.Bench.Workflows;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Bench;

/// <summary>
/// Scenario "hot-split": the reservation rate of one hot SKU by the number of entities its stock is split across
/// (<see cref="StockShards"/>: 1, 2, 4, 8, 16). Each orchestration reserves and releases one unit twice at the shard its
/// instance id picks (the order workflow's home shard, revision 11), so the curve shows what splitting buys on the
/// chosen engine. Every shard must end with its stock untouched (nothing held, nothing lost).
/// </summary>
/// <summary>One point of the hot-split curve: reservation rate by shard count, units oversold and lost, CPU and load.</summary>
public sealed record HotSplitPoint(int Shards, double Rate, double P50, int Reserves, int Oversold, long Lost, bool Ok, LoopResult Loop);

public static class HotSplitScenario
{
    public const string Name = "hot-split";

    private const string Sku = "BENCH-SPLIT";

    private const int OnHand = 1_000_000;

    public static async Task<bool> RunAsync(BenchHost host, BenchOptions options)
        => (await MeasureAsync(host, options)).All(p => p.Ok);

    /// <summary>
    /// The curve, one point per shard count. A point is not OK when an instance failed, a reservation was refused, or a
    /// shard did not end with exactly its seed on hand and nothing reserved; oversold = units reserved beyond on-hand at
    /// the end, summed over shards; lost = seed units not on hand at the end.
    /// </summary>
    public static async Task<IReadOnlyList<HotSplitPoint>> MeasureAsync(BenchHost host, BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var points = new List<HotSplitPoint>();
        var ok = true;
        double? single = null;
        var warm = false;
        foreach (var shards in options.Shards)
        {
            var keys = StockShards.Keys($"{Sku}-{shards}", shards);
            foreach (var key in keys)
            {
                var seed = $"seed-{Name}-{key}";
                await host.Client.StartOrchestrationAsync<StockAdjustmentOrchestrator>(seed, new StockAdjustment(key, new Dictionary<string, int> { ["WH-A"] = OnHand }, "bench", "seed"));
                ok &= (await host.Client.WaitForCompletionAsync(seed, options.InstanceTimeout)).RuntimeStatus == OrchestrationRuntimeStatus.Completed;
            }

            var opsPerInstance = Scenarios.PairsPerOrchestration * 2;
            var instances = (options.CountFor(Name) + opsPerInstance - 1) / opsPerInstance;
            Task<bool> Start(int i, string id) => host.Client.StartOrchestrationAsync<BenchInventoryOpsOrchestrator>(
                id, new BenchInventoryOpsInput(keys[StockShards.TryOrder(id, shards)[0]], Scenarios.PairsPerOrchestration));
            if (!warm)
            {
                // The first point would otherwise also pay for JIT and thread-pool ramp-up (in memory the first point
                // ran at about half the rate of the same point measured later). Same work, on the same shards, not counted.
                warm = true;
                var count = Math.Min(instances, options.Backend == OrderFlow.Engine.DurableEngineBackend.InMemory ? 2000 : options.Concurrency);
                var warmup = await ClosedLoop.RunAsync(host.Client, count, options.Concurrency, options.Budget, options.InstanceTimeout, i => $"warm-{Name}-{i}", Start);
                ok &= warmup.Failures.Count == 0;
            }

            host.Profile?.Reset();
            var result = await ClosedLoop.RunAsync(host.Client, instances, options.Concurrency, options.Budget, options.InstanceTimeout, i => $"{Name}-{shards}-{i}", Start);
            var outputs = result.Samples.Where(s => s.Completed).Select(s => s.Final!.ReadOutputAs<BenchInventoryOpsResult>()!).ToList();
            var reserves = outputs.Sum(o => o.Reserved);
            var rate = result.Elapsed > TimeSpan.Zero ? reserves / result.Elapsed.TotalSeconds : 0;
            single ??= rate;
            Console.WriteLine(FormattableString.Invariant(
                $"{Name,-9} shards={shards,-2} reserves={reserves,-6} elapsed={result.Elapsed.TotalSeconds,6:F2}s rate={rate,8:F1} reserves/s x{(single > 0 ? rate / single.Value : 0),5:F1} {Percentiles.Format(outputs.SelectMany(o => o.OperationMillis))} | cpu {result.Cores:F2} cores, load {result.LoadBefore:F1}->{result.LoadAfter:F1}{(result.BudgetHit ? " | stopped by the time budget" : string.Empty)}"));
            host.Profile?.Print(Console.Out, $"{Name,-9} shards={shards,-2}", reserves, "reserve", shards);

            // Every reservation was released again: each shard holds its seed, nothing reserved; every instance completed.
            var untouched = true;
            var oversold = 0;
            long lost = 0;
            foreach (var key in keys)
            {
                var state = await host.Client.GetEntityStateAsync<SkuInventory>(new Microsoft.DurableTask.Entities.EntityInstanceId(nameof(OrderFlow.Workflows.Entities.InventoryEntity), key));
                untouched &= state is { OnHand: OnHand, Reserved: 0 };
                oversold += state is null ? 0 : Math.Max(0, state.Reserved - state.OnHand);
                lost += OnHand - (state?.OnHand ?? 0);
            }

            var pointOk = untouched && result.Failures.Count == 0 && reserves == outputs.Sum(o => o.Operations) / 2;
            if (!pointOk)
            {
                Console.WriteLine($"{Name,-9} check: FAILED - shards {shards}: {result.Failures.Count} instance(s) failed, stock untouched {untouched}, reserves {reserves}");
                ok = false;
            }

            var sorted = outputs.SelectMany(o => o.OperationMillis).Order().ToArray();
            points.Add(new HotSplitPoint(shards, rate, sorted.Length > 0 ? Percentiles.At(sorted, 50) : double.NaN, reserves, oversold, lost, pointOk && ok, result));
        }

        return points;
    }
}
