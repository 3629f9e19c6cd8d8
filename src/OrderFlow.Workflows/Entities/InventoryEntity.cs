using Microsoft.DurableTask.Entities;
using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>
/// One durable entity per SKU (entity key = SKU). The engine runs its operations one at a time, so every stock
/// change for the SKU is serialized here; nothing reads counters and writes them back from outside.
/// </summary>
public sealed class InventoryEntity : TaskEntity<SkuInventory>
{
    public StockView SetOnHand(SetOnHandRequest request)
    {
        State.SetOnHand(request.Location, request.OnHand);
        return View();
    }

    public ReservationOutcome Reserve(ReserveStockRequest request) =>
        State.Reserve(Sku, request.OrderId, request.Quantity, request.ExpiresAt);

    public int Release(string orderId) => State.Release(orderId);

    public int Commit(CommitStockRequest request) => State.Commit(request.OrderId, request.Location);

    public StockView Get() => View();

    protected override SkuInventory InitializeState(TaskEntityOperation entityOperation) => new();

    private string Sku => Context.Id.Key;

    private StockView View() => new(
        Sku,
        State.OnHand,
        State.Reserved,
        State.Available,
        State.Locations.ToDictionary(l => l.Key, l => new LocationStockView(l.Value.OnHand, l.Value.Reserved, l.Value.Available), StringComparer.Ordinal),
        State.Reservations.Values
            .OrderBy(r => r.OrderId, StringComparer.Ordinal)
            .Select(r => new ReservationView(r.OrderId, r.Quantity, r.ExpiresAt, r.Allocations.ToList()))
            .ToList());
}
