using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// Splitting a hot SKU's stock across shard entities automatically (section "Inventory:AutoSplit"): on the reaper's pass,
/// a SKU whose entities served more than <see cref="OnAbove"/> reservations in a minute is split into
/// <see cref="Shards"/>; once it stayed below <see cref="OffBelow"/> for <see cref="OffAfter"/> it is set back to one
/// entity. SKUs listed in <c>Inventory:SplitSkus</c> are never changed. See docs/inventory.md, "Hot SKUs".
/// </summary>
public sealed class AutoSplitOptions
{
    /// <summary>Off by default: only <c>Inventory:SplitSkus</c> splits a SKU.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many entities an automatically split SKU gets.</summary>
    [Range(2, Domain.Inventory.StockShards.MaxShards, ErrorMessage = "Inventory:AutoSplit:Shards must be between 2 and 16.")]
    public int Shards { get; set; } = 4;

    /// <summary>Switch on above this many reservations per minute on one SKU (all its entities).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Inventory:AutoSplit:OnAbove must be between 1 and 1000000 reservations per minute.")]
    public int OnAbove { get; set; } = 600;

    /// <summary>A pass that measures fewer reservations per minute than this counts as quiet.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Inventory:AutoSplit:OffBelow must be between 0 and 1000000 reservations per minute.")]
    public int OffBelow { get; set; } = 120;

    /// <summary>Switch off once the SKU has been quiet (every pass below <see cref="OffBelow"/>) for this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Inventory:AutoSplit:OffAfter must be between 1 minute and 7 days.")]
    public TimeSpan OffAfter { get; set; } = TimeSpan.FromMinutes(30);
}
