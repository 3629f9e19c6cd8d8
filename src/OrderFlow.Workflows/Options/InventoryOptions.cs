using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Workflows.Options;

/// <summary>What happens when stock runs short, and who hears about low stock (section "Inventory").</summary>
public sealed class InventoryOptions : IValidatableObject
{
    public const string Section = "Inventory";

    /// <summary>
    /// Store-wide out-of-stock policy for SKUs without their own: Escalate (an OutOfStock case), Backorder (reserve what
    /// exists, wait for the rest), Substitute (the SKU's configured substitute, customer told), Cancel (cancel the line).
    /// </summary>
    public string DefaultOutOfStockPolicy { get; set; } = OutOfStockPolicies.Escalate;

    /// <summary>How long a backordered order waits for stock before an OutOfStock case asks a person.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "180.00:00:00", ErrorMessage = "Inventory:BackorderMaxWait must be between 1 second and 180 days.")]
    public TimeSpan BackorderMaxWait { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Where low-stock alerts are emailed (purchasing). Empty: alerts are only recorded for the operations API.</summary>
    [EmailAddress(ErrorMessage = "Inventory:PurchasingEmail must be an email address.")]
    public string? PurchasingEmail { get; set; }

    /// <summary>How often the one-machine host's reaper looks for abandoned reservations (the Functions app uses ReservationReaperSchedule).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Inventory:ReaperInterval must be between 1 second and 1 day.")]
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Days from ordering a SKU to having it on the shelf, for SKUs without an entry in <see cref="LeadTimes"/>.</summary>
    [Range(0, 365, ErrorMessage = "Inventory:LeadTimeDays must be between 0 and 365.")]
    public int LeadTimeDays { get; set; } = 14;

    /// <summary>Lead time in days per SKU (e.g. <c>Inventory:LeadTimes:MUG-1 = 30</c>), overriding <see cref="LeadTimeDays"/>.</summary>
    public Dictionary<string, int> LeadTimes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Days of sales a purchase order should cover beyond the lead time (reorder suggestions).</summary>
    [Range(1, 365, ErrorMessage = "Inventory:ReorderCoverDays must be between 1 and 365.")]
    public int ReorderCoverDays { get; set; } = 14;

    /// <summary>The recent window whose shipped units give a SKU's sales rate (reorder suggestions).</summary>
    [Range(1, 365, ErrorMessage = "Inventory:SalesWindowDays must be between 1 and 365.")]
    public int SalesWindowDays { get; set; } = 28;

    /// <summary>
    /// Hot SKUs whose stock is split across shard entities, with the number of shards (2 to 16), e.g.
    /// <c>Inventory:SplitSkus:MUG-1 = 4</c>: each order reserves at the shard its id picks and falls back to the others;
    /// the reaper's pass spreads stock evenly again (docs/inventory.md, "Hot SKUs"). A SKU not listed has one entity.
    /// </summary>
    public Dictionary<string, int> SplitSkus { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Splitting hot SKUs automatically above a contention threshold, and back after the rush (off by default).</summary>
    public AutoSplitOptions AutoSplit { get; set; } = new();

    /// <summary>
    /// The SKUs split automatically now (or before, while a shard may hold units): not configuration but state, kept in
    /// the <c>AutoSplits</c> table and shared by everything in the process that reads these options (set by the host).
    /// </summary>
    public Inventory.AutoSplitRegistry AutomaticSplits { get; private set; } = new();

    /// <summary>True when any SKU is split, by configuration or automatically (now or before).</summary>
    public bool AnySplit => SplitSkus.Count > 0 || !AutomaticSplits.IsEmpty;

    /// <summary>Shares <paramref name="registry"/> (the process's one) as <see cref="AutomaticSplits"/>.</summary>
    public void UseAutomaticSplits(Inventory.AutoSplitRegistry registry) => AutomaticSplits = registry ?? throw new ArgumentNullException(nameof(registry));

    /// <summary>
    /// How many entities hold <paramref name="sku"/>'s stock (1 when it is not split): its <see cref="SplitSkus"/> entry
    /// when it has one (configuration always wins), else its automatic split.
    /// </summary>
    public int ShardsOf(string sku) =>
        SplitSkus.TryGetValue(sku, out var shards) ? Math.Max(shards, 1) : AutomaticSplits.ShardsOf(sku);

    /// <summary>True when <paramref name="sku"/>'s stock may be in shards: listed in <see cref="SplitSkus"/> or split automatically, now or before.</summary>
    public bool WasSplit(string sku) => SplitSkus.ContainsKey(sku) || AutomaticSplits.Find(sku) is not null;

    /// <summary>The lead time for <paramref name="sku"/>: its own entry, else <see cref="LeadTimeDays"/>.</summary>
    public int LeadTimeFor(string sku) => LeadTimes.TryGetValue(sku, out var days) ? days : LeadTimeDays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (sku, days) in LeadTimes)
        {
            if (days is < 0 or > 365)
            {
                yield return new ValidationResult($"Inventory:LeadTimes:{sku} must be between 0 and 365 days (was {days}).", [nameof(LeadTimes)]);
            }
        }

        foreach (var (sku, shards) in SplitSkus)
        {
            if (shards is < 1 or > Domain.Inventory.StockShards.MaxShards)
            {
                yield return new ValidationResult(
                    $"Inventory:SplitSkus:{sku} must be between 1 (not split) and {Domain.Inventory.StockShards.MaxShards} shards (was {shards}).", [nameof(SplitSkus)]);
            }

            if (string.IsNullOrWhiteSpace(sku) || Domain.Inventory.StockShards.IsShard(sku))
            {
                yield return new ValidationResult(
                    $"Inventory:SplitSkus:{sku} does not name a SKU (a SKU ending in ~shard<n> would read as a shard's key).", [nameof(SplitSkus)]);
            }
        }

        var autoSplit = new List<ValidationResult>();
        Validator.TryValidateObject(AutoSplit, new ValidationContext(AutoSplit), autoSplit, validateAllProperties: true);
        foreach (var result in autoSplit)
        {
            yield return result;
        }

        if (autoSplit.Count == 0 && AutoSplit.OffBelow > AutoSplit.OnAbove)
        {
            yield return new ValidationResult(
                $"Inventory:AutoSplit:OffBelow ({AutoSplit.OffBelow}) must not be above Inventory:AutoSplit:OnAbove ({AutoSplit.OnAbove}).", [nameof(AutoSplit)]);
        }

        if (!OutOfStockPolicies.IsKnown(DefaultOutOfStockPolicy))
        {
            yield return new ValidationResult(
                $"Inventory:DefaultOutOfStockPolicy '{DefaultOutOfStockPolicy}' is not one of {string.Join(", ", OutOfStockPolicies.All)}.",
                [nameof(DefaultOutOfStockPolicy)]);
        }
    }
}

/// <summary>The out-of-stock policies a store or SKU can choose.</summary>
public static class OutOfStockPolicies
{
    public const string Escalate = "Escalate";
    public const string Backorder = "Backorder";
    public const string Substitute = "Substitute";
    public const string Cancel = "Cancel";

    public static IReadOnlyList<string> All { get; } = [Escalate, Backorder, Substitute, Cancel];

    public static bool IsKnown(string? policy) => policy is not null && All.Contains(policy, StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical spelling of a known policy.</summary>
    public static string Normalize(string policy) => All.First(p => string.Equals(p, policy, StringComparison.OrdinalIgnoreCase));
}
