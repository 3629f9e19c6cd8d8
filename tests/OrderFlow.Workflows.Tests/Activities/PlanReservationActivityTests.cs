using System.Collections.Concurrent;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;
using static Microsoft.Extensions.Options.Options;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 17 (ReservationPlannedInOneStep): one activity reads the policies (first attempt only), the stock of each SKU
/// that needs stock at the entity the order reads it from, and routes, as GetStockPolicies, the entity reads and
/// PlanAllocation did.
/// </summary>
public sealed class PlanReservationActivityTests
{
    private static readonly DateTimeOffset Expires = ActivityRun.Now.AddMinutes(30);

    private readonly FakeOrderStore orders = new(new ChangeFeed());
    private readonly FakeCatalog catalog = new();
    private readonly StoredEntities entities = new();
    private readonly InventoryOptions inventory = new() { SplitSkus = { ["TEE"] = 4 } };

    [Fact]
    public async Task FirstAttempt_ReadsPoliciesAndTheStockAtEachSkusHomeEntity_RoutesOnIt_DigitalNeedsNoRead()
    {
        var order = await this.RecordAsync("17001", ("MUG", 2), ("TEE", 1), ("EBOOK", 1));
        await this.catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        await this.catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true));
        await this.catalog.UpsertAsync(new CatalogItem("EBOOK", "Ebook", true, Digital: true, DownloadUrl: "https://example.test/e"));
        var teeHome = StockShards.HomeKey("TEE", order.OrderId, 4);
        this.entities.Stock("MUG", ("east", 1), ("west", 5));
        this.entities.Stock(teeHome, ("west", 3));
        this.entities.Get("MUG").Reserve("MUG", "shop-other", 1, Expires);

        var plan = await this.RunAsync(new PlanReservationRequest(order.OrderId, ["EBOOK", "MUG", "TEE"], new Dictionary<string, int> { ["EBOOK"] = 1, ["MUG"] = 2, ["TEE"] = 1 }));

        Assert.Equal(["EBOOK", "MUG", "TEE"], plan.Policies.Select(p => p.Sku));
        Assert.Equal((OutOfStockPolicies.Backorder, 1), (plan.Policies[1].Policy, plan.Policies[1].Shards));
        Assert.Equal((true, 4), (plan.Policies[0].Digital, plan.Policies[2].Shards));
        Assert.Equal(["MUG", teeHome], this.entities.Read);
        Assert.Equal(["MUG", "TEE"], plan.Stock.Select(s => s.Sku));
        Assert.Equal((6, 1, 5), (plan.Stock[0].OnHand, plan.Stock[0].Reserved, plan.Stock[0].Available));
        Assert.Empty(plan.Stock[0].Reservations); // routing does not use them; the history does not carry them
        Assert.Equal(["west"], plan.Decision!.Allocations.Select(a => a.LocationId).Distinct());
        Assert.Equal(3, plan.Decision.Allocations.Sum(a => a.Quantity));
        Assert.Equal("routing", this.orders.Get(order.OrderId).Timeline[^1].Kind);
    }

    [Fact]
    public async Task LaterAttempt_UsesThePoliciesItCarries_NotTheCatalogsNewOnes()
    {
        var order = await this.RecordAsync("17002", ("MUG", 1));
        await this.catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Cancel));
        this.entities.Stock("MUG", ("east", 2));
        IReadOnlyList<StockPolicy> kept = [new StockPolicy("MUG", OutOfStockPolicies.Escalate, null)];

        var plan = await this.RunAsync(new PlanReservationRequest(order.OrderId, ["MUG"], new Dictionary<string, int> { ["MUG"] = 1 }, kept));

        Assert.Equal(kept, plan.Policies);
        Assert.Equal("east", Assert.Single(plan.Decision!.Allocations).LocationId);
    }

    [Fact]
    public async Task NothingNeedsStock_ReadsAndRoutesNothing()
    {
        var order = await this.RecordAsync("17003", ("EBOOK", 1), ("MUG", 1));
        await this.catalog.UpsertAsync(new CatalogItem("EBOOK", "Ebook", true, Digital: true));
        var before = this.orders.Get(order.OrderId).Timeline.Count;

        // MUG's line was cancelled earlier: nothing of it is wanted any more.
        var plan = await this.RunAsync(new PlanReservationRequest(order.OrderId, ["EBOOK", "MUG"], new Dictionary<string, int> { ["EBOOK"] = 1, ["MUG"] = 0 }));

        Assert.Null(plan.Decision);
        Assert.Empty(plan.Stock);
        Assert.Empty(this.entities.Read);
        Assert.Equal(before, this.orders.Get(order.OrderId).Timeline.Count);
    }

    private Task<ReservationPlan> RunAsync(PlanReservationRequest request) =>
        ActivityRun.RunAsync(
            new PlanReservationActivity(this.catalog, Create(this.inventory), this.entities, this.orders, Create(new RoutingOptions()), ActivityRun.Clock()),
            request,
            request.OrderId);

    private async Task<Order> RecordAsync(string number, params (string Sku, int Quantity)[] lines)
    {
        var order = TestOrders.Create(number, lines.Select(l => (l.Sku, l.Quantity, 10_00L)).ToArray());
        await this.orders.CreateAsync(order, ActivityRun.Now);
        return order;
    }

    /// <summary>Inventory entities' stored states by key; records the keys read, in order.</summary>
    private sealed class StoredEntities : IEntityStateReader
    {
        private readonly ConcurrentDictionary<string, SkuInventory> states = new(StringComparer.Ordinal);

        public List<string> Read { get; } = [];

        public SkuInventory Get(string key) => this.states.GetOrAdd(key, _ => new SkuInventory());

        public void Stock(string key, params (string Location, int OnHand)[] counts)
        {
            foreach (var (location, onHand) in counts)
            {
                this.Get(key).SetOnHand(StockShards.SkuOf(key), location, onHand, "test", "count", Expires);
            }
        }

        public Task<T?> ReadAsync<T>(string entityName, string key, CancellationToken cancellationToken = default)
        {
            Assert.Equal(nameof(InventoryEntity), entityName);
            lock (this.Read)
            {
                this.Read.Add(key);
            }

            return Task.FromResult(this.states.TryGetValue(key, out var state) ? (T?)(object)state : default);
        }
    }
}
