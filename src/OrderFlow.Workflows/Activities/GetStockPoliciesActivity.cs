using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Reads each SKU's out-of-stock policy from the catalog, falling back to the store's default, and how many shards hold its
/// stock (<c>Inventory:SplitSkus</c>, else its automatic split): the order workflow learns a SKU's shards only from this result.
/// </summary>
public sealed class GetStockPoliciesActivity(ICatalog catalog, IOptions<InventoryOptions> inventory) : TaskActivity<IReadOnlyList<string>, IReadOnlyList<StockPolicy>>
{
    public override async Task<IReadOnlyList<StockPolicy>> RunAsync(TaskActivityContext context, IReadOnlyList<string> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policies = new List<StockPolicy>(input.Count);

        // A SKU split automatically counts from the next order that reads its policies; the view is at most 30 s old.
        await inventory.Value.AutomaticSplits.RefreshAsync();
        foreach (var sku in input)
        {
            var item = await catalog.GetAsync(sku);
            var policy = OutOfStockPolicies.IsKnown(item?.OutOfStockPolicy) ? item!.OutOfStockPolicy! : inventory.Value.DefaultOutOfStockPolicy;
            var substitute = string.IsNullOrWhiteSpace(item?.SubstituteSku) || item.SubstituteSku == sku ? null : item.SubstituteSku;
            policies.Add(new StockPolicy(sku, OutOfStockPolicies.Normalize(policy), substitute, item?.Digital == true, item?.DownloadUrl, inventory.Value.ShardsOf(sku)));
        }

        return policies;
    }
}
