using OrderFlow.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Tests.Harness;

/// <summary>
/// The real durable engine (in-memory or AzureStorage on Azurite, a fresh task hub each time) running the real
/// orchestrators, activities and inventory entity of <see cref="WorkflowRegistry"/> over <see cref="FakePorts"/>.
/// Dispose stops it (and deletes an Azurite task hub).
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private int stockAdjustments;

    private WorkflowHarness(ServiceProvider provider, FakePorts ports, DurableEngineBackend backend, ManualTimers? timers)
    {
        this.provider = provider;
        this.Ports = ports;
        this.Backend = backend;
        this.Timers = timers;
        this.Engine = provider.GetRequiredService<DurableEngine>();
        this.Client = provider.GetRequiredService<TaskHubWorkflowClient>();
    }

    public FakePorts Ports { get; }

    public DurableEngineBackend Backend { get; }

    public DurableEngine Engine { get; }

    public TaskHubWorkflowClient Client { get; }

    /// <summary>
    /// In memory: the fake clock of durable timers longer than a minute (deadlines, timeouts, reminders), which fire only
    /// when a test passes them (<see cref="PassDeadlinesAsync"/>). Null on Azure Storage, where timers run on real time.
    /// </summary>
    public ManualTimers? Timers { get; }

    /// <summary>Deadline for anything a test waits on; generous, since a passing test never gets near it.</summary>
    public TimeSpan WaitTimeout => this.Backend == DurableEngineBackend.InMemory ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(120);

    /// <param name="configure">Replaces fake ports with real adapters (registered after the fakes, so they win).</param>
    /// <param name="holdTimersBeyond">In memory: timers longer than this are held for the test to pass (a minute unless given).</param>
    public static async Task<WorkflowHarness> StartAsync(DurableEngineBackend backend, Action<IServiceCollection, FakePorts>? configure = null, TimeSpan? holdTimersBeyond = null)
    {
        if (backend == DurableEngineBackend.AzureStorage)
        {
            await AzuriteConnection.EnsureReachableAsync();
        }

        var ports = new FakePorts();
        var timers = backend == DurableEngineBackend.InMemory ? new ManualTimers(holdTimersBeyond ?? TimeSpan.FromMinutes(1)) : null;
        var services = new ServiceCollection();
        services.AddLogging();
        ports.Register(services);
        configure?.Invoke(services, ports);
        services.AddSingleton<IEntityStateReader>(sp => new WorkflowClientEntityStateReader(new OrderFlow.Host.EngineWorkflowClient(sp.GetRequiredService<TaskHubWorkflowClient>())));
        services.AddDurableEngine(
            o =>
            {
                o.Backend = backend;
                o.TaskHubName = "wf" + Guid.NewGuid().ToString("N")[..20];
                o.WorkerId = "workflow-tests";
                o.StorageConnectionString = AzuriteConnection.ConnectionString;
                o.PartitionCount = 1;
                o.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250);
                o.StatusPollingInterval = TimeSpan.FromMilliseconds(50);
                o.ManualTimers = timers;
            },
            registry =>
            {
                foreach (var type in WorkflowRegistry.Orchestrators)
                {
                    registry.AddOrchestrator(type);
                }

                foreach (var type in WorkflowRegistry.Activities)
                {
                    registry.AddActivity(type);
                }

                foreach (var type in WorkflowRegistry.Entities)
                {
                    registry.AddEntity(type);
                }
            });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            await provider.GetRequiredService<DurableEngine>().StartAsync(CancellationToken.None);
            return new WorkflowHarness(provider, ports, backend, timers);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets on-hand counts of a SKU through <see cref="StockAdjustmentOrchestrator"/> and waits until they are applied.</summary>
    public Task<StockView> StockAsync(string sku, params (string Location, int OnHand)[] counts) =>
        this.ChangeStockAsync(new StockAdjustment(sku, counts.ToDictionary(c => c.Location, c => c.OnHand), "test", "stock count"));

    /// <summary>Applies any stock change (receipt, write-off, threshold) through <see cref="StockAdjustmentOrchestrator"/> and waits for it.</summary>
    public async Task<StockView> ChangeStockAsync(StockAdjustment adjustment) =>
        (await this.RunToEndAsync<StockAdjustmentOrchestrator, StockAdjustment>($"stock-{adjustment.Sku}-{Interlocked.Increment(ref this.stockAdjustments)}", adjustment)).ReadOutputAs<StockView>()!;

    /// <summary>
    /// Splits <paramref name="sku"/> across <paramref name="shards"/> entities (<c>Inventory:SplitSkus</c>), sets its
    /// on-hand counts and spreads them over the shards (rebalance <c>r0</c>); returns the units the rebalance moved.
    /// </summary>
    public async Task<int> SplitStockAsync(string sku, int shards, params (string Location, int OnHand)[] counts)
    {
        this.Ports.Inventory.SplitSkus[sku] = shards;
        await this.StockAsync(sku, counts);
        return await this.RebalanceAsync(sku, shards, "r0");
    }

    /// <summary>Runs the rebalancer of a split SKU (instance <c>rebalance-{sku}-{name}</c>) to its end; returns the units it moved.</summary>
    public async Task<int> RebalanceAsync(string sku, int shards, string name) =>
        (await this.RunToEndAsync<StockRebalanceOrchestrator, StockRebalance>($"rebalance-{sku}-{name}", new StockRebalance(sku, shards, []))).ReadOutputAs<int>();

    /// <summary>The stored state of each of a split SKU's entities, in shard order (an untouched one as empty).</summary>
    public async Task<IReadOnlyList<SkuInventory>> ShardsAsync(string sku, int shards)
    {
        var entities = new List<SkuInventory>();
        foreach (var key in StockShards.Keys(sku, shards))
        {
            entities.Add(await this.InventoryAsync(key) ?? new SkuInventory());
        }

        return entities;
    }

    /// <summary>
    /// <see cref="ShardsAsync"/> read again until every entity satisfies <paramref name="settled"/> or the wait timeout
    /// passes (on Azure Storage the entity state read back can trail the orchestration that changed it, as a lock can,
    /// see <c>WaitForEntityUnlockedAsync</c>); the caller asserts on what it returns.
    /// </summary>
    public async Task<IReadOnlyList<SkuInventory>> ShardsOnceAsync(string sku, int shards, Func<SkuInventory, bool> settled)
    {
        var deadline = DateTime.UtcNow + this.WaitTimeout;
        while (true)
        {
            var read = await this.ShardsAsync(sku, shards);
            if (read.All(settled) || DateTime.UtcNow >= deadline)
            {
                return read;
            }

            await Task.Delay(50);
        }
    }

    private async Task<WorkflowInstanceStatus> RunToEndAsync<TOrchestrator, TInput>(string instanceId, TInput input)
        where TOrchestrator : Microsoft.DurableTask.ITaskOrchestrator
    {
        Assert.True(await this.Client.StartOrchestrationAsync<TOrchestrator>(instanceId, input));
        var done = await this.Client.WaitForCompletionAsync(instanceId, this.WaitTimeout);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.ToString());
        return done;
    }

    /// <summary>Receives (positive) or writes off (negative) units of a SKU at a location.</summary>
    public Task<StockView> ReceiveAsync(string sku, string location, int units) =>
        this.ChangeStockAsync(new StockAdjustment(sku, new Dictionary<string, int>(), "test", "receipt", new Dictionary<string, int> { [location] = units }));

    /// <summary>An order of <paramref name="units"/> x MUG (12.00 each), MUG sold and stocked 5 at "east"; and its id.</summary>
    public async Task<(Order Order, string Id)> MugOrderAsync(string number, int units = 1)
    {
        this.Ports.Catalog.Add("MUG");
        await this.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create(number, ("MUG", units, 12_00));
        return (order, order.OrderId);
    }

    /// <summary>The SKU entity's stored state (null when the entity was never touched).</summary>
    public Task<SkuInventory?> InventoryAsync(string sku) =>
        this.Client.GetEntityStateAsync<SkuInventory>(new EntityInstanceId(nameof(InventoryEntity), sku));

    /// <summary>
    /// Captures the order as intake would and starts its workflow (instance id = order id), under
    /// <see cref="OrderWorkflowVersions.Current"/> unless <paramref name="revision"/> names an earlier one.
    /// </summary>
    public async Task StartOrderAsync(Order order, OrderWorkflowSettings? settings = null, int? revision = null)
    {
        var deliveryId = $"dlv-{order.OrderId}";
        this.Ports.Deliveries.Capture(deliveryId, order);
        var input = new OrderWorkflowInput(order.OrderId, order.Source, deliveryId, settings ?? TestSettings.Default, revision ?? OrderWorkflowVersions.Current);
        Assert.True(await this.Client.StartOrchestrationAsync<OrderOrchestrator>(order.OrderId, input));
    }

    /// <summary>Waits until a case of <paramref name="reason"/> is open for the order and the order is on hold.</summary>
    public async Task<OpenCaseRequest> CaseOpenedAsync(string orderId, ExceptionReason reason)
    {
        OpenCaseRequest? opened = null;
        await this.UntilAsync(
            () => (opened = this.Ports.Cases.CasesFor(orderId).LastOrDefault(c => c.Reason == reason)) is not null
                && this.Ports.Orders.StatusOf(orderId) == OrderStatus.OnHold,
            $"a {reason} case is open for {orderId} and it is on hold");
        return opened!;
    }

    /// <summary>Raises a person's decision to the workflow the case waits in (the order's, or a child's), as the approval page does.</summary>
    public Task DecideAsync(OpenCaseRequest openCase, CaseResolution resolution) =>
        this.Client.RaiseEventAsync(
            openCase.WorkflowId is { } workflow && workflow != OpenCaseRequest.NoWorkflow ? workflow : openCase.OrderId, CaseDecision.EventName(openCase.CaseId), new CaseDecision(openCase.CaseId, resolution, "ops@example.test", "decided in test"));

    /// <summary>Raises a cancellation request to the order's workflow, as the cancel route and the Shopify webhook do.</summary>
    public Task CancelAsync(string orderId, CancelOrderRequest request) =>
        this.Client.RaiseEventAsync(orderId, CancelOrderRequest.EventName, request);

    /// <summary>Waits for the fulfillment's hand-off to its location.</summary>
    public Task<FulfillmentDispatch> DispatchedAsync(string fulfillmentId) =>
        this.Ports.Fulfillment.DispatchedAsync(fulfillmentId).WaitAsync(this.WaitTimeout);

    /// <summary>The location's confirmation that the fulfillment shipped.</summary>
    public Task ConfirmShippedAsync(string orderId, string fulfillmentId) =>
        this.Client.RaiseEventAsync(
            orderId, FulfillmentConfirmation.EventName(fulfillmentId), new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null));

    /// <summary>Waits for each fulfillment's hand-off and confirms it shipped.</summary>
    public async Task ShipAsync(string orderId, params string[] fulfillmentIds)
    {
        foreach (var id in fulfillmentIds)
        {
            await this.DispatchedAsync(id);
            await this.ConfirmShippedAsync(orderId, id);
        }
    }

    /// <summary>
    /// Starts the order, confirms its first <paramref name="parcels"/> fulfillments (F1, F2, ...) shipped as each is
    /// handed off, and returns the workflow's outcome.
    /// </summary>
    public async Task<OrderOutcome> ShipToTheEndAsync(Order order, int parcels = 1)
    {
        await this.StartOrderAsync(order);
        await this.ShipAsync(order.OrderId, [.. Enumerable.Range(1, parcels).Select(n => $"{order.OrderId}-F{n}")]);
        return await this.OutcomeAsync(order.OrderId);
    }

    /// <summary>
    /// Asserts the captures of an order that shipped in two parcels, one capture per parcel: keyed per fulfillment,
    /// final_capture only on the last, adding up to the order's total.
    /// </summary>
    public void AssertCapturedPerParcel(Order order)
    {
        var id = order.OrderId;
        var captures = this.Ports.Payments.Captures;
        Assert.Equal([$"{id}:capture-{id}-F1", $"{id}:capture-{id}-F2"], captures.Select(c => c.IdempotencyKey));
        Assert.All(captures, c => Assert.Equal(order.PaymentReference, c.PaymentReference));
        Assert.Equal([false, true], captures.Select(c => c.FinalCapture));
        Assert.Equal(order.Totals.Total.MinorUnits, captures.Sum(c => c.Amount.MinorUnits));
    }

    /// <summary>Waits for the workflow to finish, requires it to have completed (not failed) and returns its outcome.</summary>
    public async Task<OrderOutcome> OutcomeAsync(string orderId)
    {
        var done = await this.Client.WaitForCompletionAsync(orderId, this.WaitTimeout);
        Assert.True(
            done.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{done}; refused transitions: [{string.Join(", ", this.Ports.Orders.RefusedTransitions)}]");
        return done.ReadOutputAs<OrderOutcome>()!;
    }

    /// <summary>
    /// In memory only: waits until the order's workflow (with its child workflows, e.g. a parcel's Fulfillment child)
    /// holds at least <paramref name="held"/> long timers, then lets
    /// the clock pass them all (timeouts fire; timers of waits that already ended are ignored by the workflow).
    /// </summary>
    public async Task PassDeadlinesAsync(string orderId, int held = 1)
    {
        var timers = this.Timers ?? throw new InvalidOperationException("Deadlines are passed by hand on the in-memory backend only.");
        await this.UntilTimersAsync(orderId, held);
        await timers.FireUntilAsync(orderId, DateTime.MaxValue, withChildren: true);
    }

    /// <summary>In memory only: waits until the order's workflow (or a child of it) holds a long timer, then passes the earliest one.</summary>
    public async Task PassNextDeadlineAsync(string orderId)
    {
        var timers = this.Timers ?? throw new InvalidOperationException("Deadlines are passed by hand on the in-memory backend only.");
        await this.UntilTimersAsync(orderId, 1);
        Assert.True(await timers.FireNextAsync(orderId, withChildren: true));
    }

    private Task UntilTimersAsync(string orderId, int held) => this.Timers!.WhenHeldAsync(orderId, held, withChildren: true).WaitAsync(this.WaitTimeout);

    public Task UntilAsync(Func<bool> condition, string what) => this.Ports.Feed.UntilAsync(condition, this.WaitTimeout, what);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Replay.HistoryRecorder.RecordAsync(this.Engine);
            if (this.Backend == DurableEngineBackend.AzureStorage)
            {
                // Leave Azurite as we found it: stop the worker, then drop the hub's queues, tables and blobs.
                await this.Engine.StopAsync(CancellationToken.None);
                await this.Engine.OrchestrationService.DeleteAsync();
            }
        }
        finally
        {
            await this.provider.DisposeAsync();
        }
    }
}
