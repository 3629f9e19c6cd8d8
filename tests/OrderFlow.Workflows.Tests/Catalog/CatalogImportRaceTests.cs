using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Catalog;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Host;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Catalog;

/// <summary>
/// A catalog import on the real durable engine while orders reserve and ship the same SKU: the import reads the count,
/// orders take units before its movement runs, and the file's units land as a difference on top of them, so no sale is
/// overwritten and held reservations stay held.
/// </summary>
public sealed class CatalogImportRaceTests
{
    private const string Key = "test-operator-key-0123456789abcdef0123";

    [Fact]
    public async Task ImportAsync_OrdersShipAndReserveBetweenReadAndMovement_FileDeltaAppliedOnTopOfSales()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true));
        await h.StockAsync("MUG", ("east", 10));
        var shipped = Enumerable.Range(1, 3).Select(i => TestOrders.Create($"70{i}", ("MUG", 1, 12_00))).ToList();
        var held = TestOrders.Create("710", ("MUG", 1, 12_00));

        // Between the import's read (10 on hand) and its first movement, three orders ship and a fourth reserves.
        var racing = new BeforeFirstStart(new EngineWorkflowClient(h.Client), async () =>
        {
            foreach (var order in shipped)
            {
                await h.StartOrderAsync(order);
                await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
                await h.OutcomeAsync(order.OrderId);
            }

            await h.StartOrderAsync(held);
            await h.DispatchedAsync($"{held.OrderId}-F1");
        });
        var handler = new CatalogHandler(h.Ports.Catalog, Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), NullLogger<CatalogHandler>.Instance);
        const string csv = "sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\nMUG,Mug,east,12,,,,\r\n";

        var result = await handler.ImportAsync(Request(csv), racing, default);
        var again = await handler.ImportAsync(Request(csv), new EngineWorkflowClient(h.Client), default);
        var stock = await h.InventoryAsync("MUG");

        var report = Assert.IsType<Ok<CatalogImportReport>>(result).Value!;
        Assert.Equal(new CatalogUnitChange("east", 10, 12, 2, CatalogHandler.Applied), report.Changes.Single().Units.Single());

        // 10 counted - 3 shipped + 2 from the file: the sales stand (an overwrite would have put 12 back).
        Assert.Equal((9, 1), (stock!.OnHand, stock.Reserved));
        Assert.Equal([held.OrderId], stock.Reservations.Keys);
        var movement = Assert.Single(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason.StartsWith(CatalogHandler.MovementReason, StringComparison.Ordinal));
        Assert.Equal(("east", 2, 0, CatalogHandler.Actor), (movement.Movement.Location, movement.Movement.OnHandDelta, movement.Movement.ReservedDelta, movement.Movement.Actor));

        // The same file again applies nothing: its movement is keyed by the file's hash, SKU and location.
        Assert.Equal(CatalogHandler.AlreadyApplied, Assert.IsType<Ok<CatalogImportReport>>(again).Value!.Changes.Single().Units.Single().Status);
        Assert.Equal(9, (await h.InventoryAsync("MUG"))!.OnHand);
    }

    private static HttpRequest Request(string csv)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "text/csv";
        context.Request.QueryString = new QueryString("?dryRun=false");
        context.Request.Headers[OperatorKey.Header] = Key;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return context.Request;
    }

    /// <summary>The engine's client, running <paramref name="race"/> to the end before the first orchestration starts.</summary>
    private sealed class BeforeFirstStart(IWorkflowClient inner, Func<Task> race) : IWorkflowClient
    {
        private Func<Task>? pending = race;

        public async Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref pending, null) is { } run)
            {
                await run();
            }

            return await inner.StartAsync(orchestratorName, instanceId, input, cancellationToken);
        }

        public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) => inner.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

        public Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) => inner.GetStatusAsync(instanceId, cancellationToken);

        public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) => inner.GetEntityStateAsync<T>(entityName, key, cancellationToken);

        public Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default) =>
            inner.ListInstancesAsync(orchestratorName, runtimeStatuses, limit, cancellationToken);

        public Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) => inner.GetInputAsync<T>(instanceId, cancellationToken);

        public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) => inner.RestartAsync(orchestratorName, instanceId, input, cancellationToken);

        public Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitForCompletionAsync(instanceId, timeout, cancellationToken);
    }
}
