namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A SKU the automatic split (<c>Inventory:AutoSplit</c>) split across shard entities, or split before and switched off
/// (<see cref="Shards"/> = 1) while a shard may still hold units: it is remembered until every shard is empty, so readers,
/// the reaper and the restarter go on looking at the shards.
/// </summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Shards">Entities holding its stock now (2..16 while on; 1 once switched off).</param>
/// <param name="Since">When it was switched on (while on) or off (once off).</param>
/// <param name="RatePerMinute">Reservations per minute measured at that switch.</param>
/// <param name="QuietSince">While on: the first pass of the current quiet run (rate below <c>OffBelow</c>); null when busy.</param>
public sealed record AutoSplit(string Sku, int Shards, DateTimeOffset Since, int RatePerMinute, DateTimeOffset? QuietSince = null)
{
    /// <summary>True while the SKU is split (more than one entity).</summary>
    public bool IsOn => this.Shards > 1;
}
