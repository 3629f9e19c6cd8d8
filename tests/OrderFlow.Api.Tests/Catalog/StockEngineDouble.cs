using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Catalog;

/// <summary>
/// The engine as far as stock adjustments go: a <see cref="StockAdjustmentOrchestrator"/> instance runs at once against
/// the SKU's <see cref="SkuInventory"/> (the entity's own domain state), one instance per id, Failed when the inventory
/// refuses the change. The real engine runs the same import in the workflow tests.
/// </summary>
public sealed class StockEngineDouble : IWorkflowClient
{
    private readonly Dictionary<string, SkuInventory> stock = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (StockAdjustment Input, string Status)> instances = new(StringComparer.Ordinal);

    /// <summary>Every adjustment run, in order (restarts included).</summary>
    public List<(string InstanceId, StockAdjustment Input)> Runs { get; } = [];

    public SkuInventory Stock(string sku) => stock.TryGetValue(sku, out var s) ? s : stock[sku] = new SkuInventory();

    /// <summary>An order reserves and ships <paramref name="units"/> at <paramref name="location"/>: they leave on-hand.</summary>
    public void Sell(string sku, string location, int units, string orderId)
    {
        var s = Stock(sku);
        Assert.True(s.Reserve(sku, orderId, units, DateTimeOffset.UtcNow.AddHours(1)).Succeeded);
        Assert.Equal(units, s.Commit(orderId, $"{orderId}-F1", location, units, "test"));
    }

    public Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        Assert.Equal(nameof(StockAdjustmentOrchestrator), orchestratorName);
        if (instances.ContainsKey(instanceId))
        {
            return Task.FromResult(false);
        }

        Run(instanceId, (StockAdjustment)input);
        return Task.FromResult(true);
    }

    public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        if (!instances.TryGetValue(instanceId, out var existing) || existing.Status != "Failed")
        {
            return Task.FromResult(false);
        }

        Run(instanceId, (StockAdjustment)input);
        return Task.FromResult(true);
    }

    public Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(instances.TryGetValue(instanceId, out var i) ? new WorkflowStatus(instanceId, i.Status, null, null, null) : null);

    public Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GetStatusAsync(instanceId, cancellationToken);

    public Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(instances.TryGetValue(instanceId, out var i) ? (T?)(object)i.Input : default);

    public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default)
    {
        Assert.Equal(nameof(InventoryEntity), entityName);
        return Task.FromResult(stock.TryGetValue(key, out var s) ? (T?)(object)s : default);
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
        string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    private void Run(string instanceId, StockAdjustment input)
    {
        Runs.Add((instanceId, input));
        var s = Stock(input.Sku);
        try
        {
            foreach (var (location, onHand) in input.OnHandByLocation)
            {
                s.SetOnHand(input.Sku, location, onHand, input.Actor, input.Reason, DateTimeOffset.UtcNow);
            }

            foreach (var (location, delta) in input.DeltaByLocation ?? new Dictionary<string, int>())
            {
                s.Adjust(input.Sku, location, delta, input.Actor, input.Reason, input.OrderId, DateTimeOffset.UtcNow);
            }

            if (input.SetReorderThreshold)
            {
                s.SetReorderThreshold(input.Sku, input.ReorderThreshold);
            }

            instances[instanceId] = (input, "Completed");
        }
        catch (InvalidOperationException)
        {
            instances[instanceId] = (input, "Failed");
        }
    }
}
