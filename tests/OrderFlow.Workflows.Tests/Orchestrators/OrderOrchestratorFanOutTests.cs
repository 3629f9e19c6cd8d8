using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 8 (EntityCallsFannedOut): the stock reads inside the reservation lock, the first reservation call per SKU
/// and a parcel's stock commits are sent together. The order must come out exactly as under revision 7 (same outcome,
/// stock, hand-off, capture and emails); on Azure Storage the history shows each group sent in one episode.
/// The order: 2 x MUG at 12.00 and 1 x TEE at 20.00, both at one location.
/// </summary>
public sealed class OrderOrchestratorFanOutTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision8TwoLines_SameOrderOutcomeStockAndSideEffectsAsRevision7(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 10));
        await h.StockAsync("TEE", ("east", 10));
        var before = TwoLineOrder("9801");
        var after = TwoLineOrder("9802");

        var outcomeBefore = await RunAsync(h, before, OrderWorkflowVersions.CapturesOnceWithoutMulticapture);
        var stockBetween = await StockAsync(h);
        var outcomeAfter = await RunAsync(h, after, OrderWorkflowVersions.EntityCallsFannedOut);
        var stockAfter = await StockAsync(h);

        Assert.Equal(OrderStatus.Fulfilled, outcomeAfter.Status);
        Assert.Equal((outcomeBefore.Status, outcomeBefore.Summary), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal([(8, 0), (9, 0)], stockBetween);
        Assert.Equal([(6, 0), (8, 0)], stockAfter);
        Assert.Equal(Shape(h, before), Shape(h, after));
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));
    }

    [Theory]
    [InlineData(OrderWorkflowVersions.CapturesOnceWithoutMulticapture, 2)]
    [InlineData(OrderWorkflowVersions.EntityCallsFannedOut, 1)]
    public async Task RunAsync_TwoLinesOnAzureStorage_StockReadsReservationsAndCommitsSentInOneEpisodeFromRevision8(int revision, int episodesPerGroup)
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.AzureStorage);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 10));
        await h.StockAsync("TEE", ("east", 10));
        var order = TwoLineOrder(revision == OrderWorkflowVersions.EntityCallsFannedOut ? "9803" : "9804");

        await RunAsync(h, order, revision);

        var client = (IOrchestrationServiceClient)h.Engine.OrchestrationService;
        var state = (await client.GetOrchestrationStateAsync(order.OrderId, allExecutions: false)).Single();
        var history = HistoryReplayer.ParseUntyped(await client.GetOrchestrationHistoryAsync(order.OrderId, state.OrchestrationInstance.ExecutionId));
        var sent = EntityOperationsByEpisode(history);
        foreach (var operation in new[] { nameof(InventoryEntity.Get), nameof(InventoryEntity.Reserve), nameof(InventoryEntity.Commit) })
        {
            var calls = sent.Where(s => s.Operation == operation).ToList();
            Assert.Equal(2, calls.Count);
            Assert.Equal(episodesPerGroup, calls.Select(c => c.Episode).Distinct().Count());
        }
    }

    private static Order TwoLineOrder(string number) => TestOrders.Create(number, ("MUG", 2, 12_00), ("TEE", 1, 20_00));

    private static async Task<OrderOutcome> RunAsync(WorkflowHarness h, Order order, int revision)
    {
        await h.StartOrderAsync(order, revision: revision);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        return await h.OutcomeAsync(order.OrderId);
    }

    private static async Task<List<(int OnHand, int Reserved)>> StockAsync(WorkflowHarness h)
    {
        var views = new List<(int, int)>();
        foreach (var sku in new[] { "MUG", "TEE" })
        {
            var id = $"query-{sku}-{Guid.NewGuid():N}";
            await h.Client.StartOrchestrationAsync<StockQueryOrchestrator>(id, sku);
            var view = (await h.Client.WaitForCompletionAsync(id, h.WaitTimeout)).ReadOutputAs<StockView>()!;
            views.Add((view.OnHand, view.Reserved));
        }

        return views;
    }

    /// <summary>What the order did outside the engine, with its id taken out: hand-offs, captures, emails.</summary>
    private static string Shape(WorkflowHarness h, Order order)
    {
        var id = order.OrderId;
        var dispatches = h.Ports.Fulfillment.Dispatches.Where(d => d.OrderId == id)
            .Select(d => $"{d.FulfillmentId[id.Length..]} {d.Location} {string.Join(",", d.Lines.Select(l => $"{l.Sku}x{l.Quantity}"))}");
        var captures = h.Ports.Payments.Captures.Where(c => c.OrderId == id).Select(c => $"{c.Amount} final={c.FinalCapture}");
        var emails = h.Ports.Notifier.SentFor(id).Select(n => $"{n.Milestone} {n.FulfillmentId?[id.Length..]}");
        return string.Join(" | ", dispatches.Concat(captures).Concat(emails));
    }

    /// <summary>The operations the order sent to SKU entities, each with the episode (replay) that sent it.</summary>
    private static List<(int Episode, string Operation)> EntityOperationsByEpisode(IEnumerable<HistoryEvent> history)
    {
        var episode = 0;
        var sent = new List<(int, string)>();
        foreach (var e in history)
        {
            if (e is OrchestratorStartedEvent)
            {
                episode++;
            }
            else if (e is EventSentEvent { InstanceId: { } target } message && target.StartsWith("@inventoryentity@", StringComparison.OrdinalIgnoreCase) && message.Input is { } input)
            {
                using var request = JsonDocument.Parse(input);
                if (request.RootElement.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String)
                {
                    sent.Add((episode, op.GetString()!));
                }
            }
        }

        return sent;
    }
}
