using System.Globalization;
using System.Text.Json;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Bench;

/// <summary>
/// Scenario "actions": one simple two-line order (both SKUs stocked at one location, payment authorized, no case) per
/// workflow revision, on the Azure Storage engine (Azurite), whose recorded history is read back and counted: activities,
/// entity calls / signals / lock requests, timers, sub-orchestrations, external events received and events sent to other
/// workflows, per lifecycle step, plus the episodes (history replays) the order took. The histories of the order's child
/// workflows (from revision 12 one Fulfillment child per parcel, a Refund child where money goes back) are counted with
/// it, under the step that started them: their actions are the order's too.
/// </summary>
public static class ActionCount
{
    /// <summary>The lifecycle step an activity opens; the actions after it (status updates, entity calls) belong to it.</summary>
    private static readonly Dictionary<string, string> StepOpeners = new(StringComparer.Ordinal)
    {
        ["RecordOrderActivity"] = "1 received",
        ["ValidateOrderActivity"] = "2 validated",
        ["VerifyPaymentActivity"] = "3 payment",
        ["AssessFraudActivity"] = "4 fraud",
        ["GetStockPoliciesActivity"] = "5 reserve",
        ["PlanReservationActivity"] = "5 reserve", // from revision 17, instead of the policy read
        ["RouteOrderActivity"] = "6 fulfill",
        ["CapturePaymentActivity"] = "7 complete",
    };

    private static readonly string[] Kinds = ["activity", "entity call", "entity signal", "entity lock", "timer", "sub-orch", "event", "event sent"];

    /// <summary>The two SKUs of the counted order (the engine's catalog must sell them).</summary>
    public static readonly string[] Skus = ["BENCH-A1", "BENCH-A2"];

    /// <summary>Runs the scenario on its own Azure Storage engine (fresh task hub, deleted at the end). False when an order failed.</summary>
    public static async Task<bool> RunAsync(BenchOptions options, string hub, IReadOnlyList<int> revisions)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.WithBackend(DurableEngineBackend.AzureStorage);
        await using var host = await BenchHost.StartAsync(options, hub, Skus);
        return (await CountAsync(host, options, hub, revisions)).Ok;
    }

    /// <summary>
    /// Counts one simple order per revision on <paramref name="host"/> (an Azure Storage engine that sells <see cref="Skus"/>):
    /// prints the table per step and returns the total durable actions per revision (missing when that order failed).
    /// </summary>
    public static async Task<(bool Ok, IReadOnlyDictionary<int, int> Totals)> CountAsync(
        BenchHost host, BenchOptions options, string hub, IReadOnlyList<int> revisions)
    {
        var counted = await CountKindsAsync(host, options, hub, revisions);
        return (counted.Ok, counted.Kinds.ToDictionary(k => k.Key, k => k.Value.Values.Sum()));
    }

    /// <summary>As <see cref="CountAsync"/>, with the totals per kind of action (activity, entity call, timer, ...) per revision.</summary>
    public static async Task<(bool Ok, IReadOnlyDictionary<int, IReadOnlyDictionary<string, int>> Kinds)> CountKindsAsync(BenchHost host, BenchOptions options, string hub, IReadOnlyList<int> revisions)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(revisions);
        var skus = Skus;
        var client = (IOrchestrationServiceClient)host.Engine.OrchestrationService;
        var counted = new Dictionary<int, int>();
        var kinds = new Dictionary<int, IReadOnlyDictionary<string, int>>();
        foreach (var sku in skus)
        {
            var seed = $"seed-actions-{sku}";
            await host.Client.StartOrchestrationAsync<StockAdjustmentOrchestrator>(seed, new StockAdjustment(sku, new Dictionary<string, int> { ["WH-A"] = 100 }, "bench", "seed"));
            await host.Client.WaitForCompletionAsync(seed, options.InstanceTimeout);
        }

        var ok = true;
        var totals = new List<string>();
        foreach (var revision in revisions)
        {
            var orderId = OrderIds.For("bench", $"actions-r{revision.ToString(CultureInfo.InvariantCulture)}-{hub}");
            var order = SimpleOrder(orderId, skus);
            host.Accept("d-" + orderId, order);
            await host.Client.StartOrchestrationAsync<OrderOrchestrator>(orderId, new OrderWorkflowInput(orderId, order.Source, "d-" + orderId, Scenarios.Settings, revision));
            WorkflowInstanceStatus final;
            try
            {
                final = await host.Client.WaitForCompletionAsync(orderId, TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                final = (await host.Client.GetStatusAsync(orderId))!;
            }

            var outcome = final.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? final.ReadOutputAs<OrderOutcome>() : null;
            if (outcome?.Status != OrderStatus.Fulfilled)
            {
                Console.WriteLine($"actions   revision {revision}: FAILED - the order ended {final.RuntimeStatus} {final.SerializedCustomStatus} {final.SerializedOutput}");
                ok = false;
                continue;
            }

            var (rows, episodes, children) = await CountWithChildrenAsync(client, orderId, "0 start");
            Print(revision, rows, episodes, children);
            counted[revision] = rows.Sum(r => r.Value.Values.Sum());
            kinds[revision] = Kinds.ToDictionary(k => k, k => rows.Values.Sum(c => c.GetValueOrDefault(k)), StringComparer.Ordinal);
            totals.Add($"revision {revision}: {counted[revision]} durable actions in {episodes} episodes");
        }

        Console.WriteLine($"actions   {string.Join("; ", totals)} (target <= 15 actions)");
        return (ok, kinds);
    }

    /// <summary>
    /// The actions of <paramref name="instanceId"/>'s history and of its child workflows' (each child's under the step that
    /// started it, <paramref name="step"/> for the instance's first actions); the episodes of all of them; the children counted.
    /// </summary>
    private static async Task<(SortedDictionary<string, Dictionary<string, int>> Rows, int Episodes, int Children)> CountWithChildrenAsync(
        IOrchestrationServiceClient client, string instanceId, string step)
    {
        var state = (await client.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
        var history = await client.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
        var (rows, episodes, started) = Count(history, step);
        var children = 0;
        foreach (var (childId, childStep) in started)
        {
            var (childRows, childEpisodes, grandchildren) = await CountWithChildrenAsync(client, childId, childStep);
            foreach (var (rowStep, counts) in childRows)
            {
                var row = rows.TryGetValue(rowStep, out var r) ? r : rows[rowStep] = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (kind, count) in counts)
                {
                    row[kind] = row.GetValueOrDefault(kind) + count;
                }
            }

            episodes += childEpisodes;
            children += 1 + grandchildren;
        }

        return (rows, episodes, children);
    }

    /// <summary>
    /// Durable actions per step and kind, from a history serialized by the Azure Storage backend (its first actions under
    /// <paramref name="step"/>); the episode count; and the child workflows it started, with the step that started each.
    /// </summary>
    public static (SortedDictionary<string, Dictionary<string, int>> Rows, int Episodes, List<(string InstanceId, string Step)> Children) Count(string historyJson, string step = "0 start")
    {
        using var document = JsonDocument.Parse(historyJson);
        var rows = new SortedDictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var children = new List<(string InstanceId, string Step)>();
        var episodes = 0;
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var type = ReadType(e);
            var name = e.TryGetProperty("Name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            string? kind = null;
            switch (type)
            {
                case DurableTask.Core.History.EventType.OrchestratorStarted:
                    episodes++;
                    break;
                case DurableTask.Core.History.EventType.TaskScheduled:
                    step = StepOpeners.GetValueOrDefault(name, step);
                    kind = "activity";
                    break;
                case DurableTask.Core.History.EventType.TimerCreated:
                    kind = "timer";
                    break;
                case DurableTask.Core.History.EventType.SubOrchestrationInstanceCreated:
                    kind = "sub-orch";
                    if (TargetOf(e) is { } childId)
                    {
                        children.Add((childId, step));
                    }

                    break;
                case DurableTask.Core.History.EventType.EventSent:
                    // Entity ids start with '@'; anything else is another workflow (a parent and its children talk by events).
                    kind = TargetOf(e) is { } target && !target.StartsWith('@')
                        ? "event sent"
                        : EntityMessageKind(name, e.TryGetProperty("Input", out var input) ? input.GetString() : null);
                    break;
                case DurableTask.Core.History.EventType.EventRaised:
                    // Entity responses come back as events named by their request id (a GUID); the rest are external events.
                    kind = Guid.TryParse(name, out _) ? null : "event";
                    break;
            }

            if (kind is not null)
            {
                var row = rows.TryGetValue(step, out var r) ? r : rows[step] = new Dictionary<string, int>(StringComparer.Ordinal);
                row[kind] = row.GetValueOrDefault(kind) + 1;
            }
        }

        return (rows, episodes, children);
    }

    /// <summary>The instance an EventSent or SubOrchestrationInstanceCreated event addresses.</summary>
    private static string? TargetOf(JsonElement e) =>
        e.TryGetProperty("InstanceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>An entity message's kind: "entity lock" (a lock request), "entity signal", "entity call"; null for a lock release.</summary>
    private static string? EntityMessageKind(string name, string? input)
    {
        if (name == "release")
        {
            return null;
        }

        if (input is null)
        {
            return "entity call";
        }

        using var request = JsonDocument.Parse(input);
        var root = request.RootElement;
        var isLock = root.TryGetProperty("lockset", out var lockset) && lockset.ValueKind == JsonValueKind.Array
            && (!root.TryGetProperty("op", out var op) || op.ValueKind == JsonValueKind.Null);
        if (isLock)
        {
            return "entity lock";
        }

        return root.TryGetProperty("signal", out var signal) && signal.ValueKind == JsonValueKind.True ? "entity signal" : "entity call";
    }

    private static DurableTask.Core.History.EventType ReadType(JsonElement e)
    {
        var t = e.GetProperty("EventType");
        return t.ValueKind == JsonValueKind.Number
            ? (DurableTask.Core.History.EventType)t.GetInt32()
            : Enum.Parse<DurableTask.Core.History.EventType>(t.GetString()!);
    }

    private static void Print(int revision, SortedDictionary<string, Dictionary<string, int>> rows, int episodes, int children)
    {
        Console.WriteLine($"actions   revision {revision}: durable actions of one two-line order (one location, payment authorized, no case), from its history and its {children} child workflow(s)");
        Console.WriteLine("          " + string.Join(" ", new[] { "step".PadRight(12) }.Concat(Kinds.Select(k => k.PadLeft(13))).Append("total".PadLeft(7))));
        foreach (var (step, counts) in rows)
        {
            Console.WriteLine("          " + string.Join(" ", new[] { step.PadRight(12) }.Concat(Kinds.Select(k => counts.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture).PadLeft(13))).Append(counts.Values.Sum().ToString(CultureInfo.InvariantCulture).PadLeft(7))));
        }

        Console.WriteLine("          " + string.Join(" ", new[] { "all".PadRight(12) }.Concat(Kinds.Select(k => rows.Values.Sum(c => c.GetValueOrDefault(k)).ToString(CultureInfo.InvariantCulture).PadLeft(13))).Append(rows.Values.Sum(c => c.Values.Sum()).ToString(CultureInfo.InvariantCulture).PadLeft(7))) + $"   ({episodes} episodes)");
    }

    private static Order SimpleOrder(string orderId, string[] skus)
    {
        var lines = new List<LineItem>
        {
            new("1", skus[0], "Bench item", 2, new Money(1250, "USD")),
            new("2", skus[1], "Bench item", 1, new Money(800, "USD")),
        };
        var subtotal = lines.Aggregate(Money.Zero("USD"), (sum, l) => sum + l.Total);
        var shipping = new Money(500, "USD");
        var zero = Money.Zero("USD");
        return new Order(
            orderId, "bench", orderId, "#" + orderId,
            new Customer("bench@example.invalid", "Bench", "Customer", "en"),
            new Address("Bench Customer", "1 Main St", null, "Springfield", "IL", "62701", "US", null),
            lines, new OrderTotals(subtotal, shipping, zero, zero, subtotal + shipping), "USD", "pi_" + orderId, DateTimeOffset.UtcNow);
    }
}
