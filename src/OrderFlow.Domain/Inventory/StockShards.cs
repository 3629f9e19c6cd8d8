namespace OrderFlow.Domain.Inventory;

/// <summary>
/// Where a split SKU's stock lives: shard 0 is the SKU's own entity (restock, counts, returns and the backorder queue
/// land there), shards 1..n-1 are entities keyed <c>{sku}~shard{n}</c>. Each shard is a whole inventory of its own
/// (on-hand, reserved, reservations), so every unit is in exactly one of them and the SKU's stock is their sum.
/// </summary>
public static class StockShards
{
    /// <summary>The most shards a SKU may be split into.</summary>
    public const int MaxShards = 16;

    private const string Marker = "~shard";

    /// <summary>A configured or requested shard count brought within 1..<see cref="MaxShards"/>.</summary>
    public static int Bounded(int shards) => Math.Clamp(shards, 1, MaxShards);

    /// <summary>The entity key of <paramref name="sku"/>'s shard <paramref name="shard"/> (0 is the SKU itself).</summary>
    public static string Key(string sku, int shard) => shard == 0 ? sku : $"{sku}{Marker}{shard}";

    /// <summary>Every entity key of a SKU split into <paramref name="shards"/> (1 = not split: the SKU alone).</summary>
    public static IReadOnlyList<string> Keys(string sku, int shards) => Enumerable.Range(0, Math.Max(shards, 1)).Select(s => Key(sku, s)).ToList();

    /// <summary>The SKU an entity key belongs to (the key itself when it is no shard).</summary>
    public static string SkuOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var at = key.LastIndexOf(Marker, StringComparison.Ordinal);
        return at > 0 && int.TryParse(key.AsSpan(at + Marker.Length), out var n) && n > 0 ? key[..at] : key;
    }

    /// <summary>True when <paramref name="key"/> names a shard other than the SKU's own entity.</summary>
    public static bool IsShard(string key) => SkuOf(key) != key;

    /// <summary>The entity an order reads <paramref name="sku"/>'s stock from before routing: its home shard (the SKU itself when not split).</summary>
    public static string HomeKey(string sku, string orderId, int shards) => Key(sku, TryOrder(orderId, shards)[0]);

    /// <summary>
    /// The shards an order tries, in order: its home shard (from a stable hash of the order id, the same on every
    /// machine and run, unlike <see cref="string.GetHashCode()"/>), then the others in turn.
    /// </summary>
    public static IReadOnlyList<int> TryOrder(string orderId, int shards)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        if (shards <= 1)
        {
            return [0];
        }

        var hash = 2166136261u;
        foreach (var c in orderId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        var home = (int)(hash % (uint)shards);
        return Enumerable.Range(0, shards).Select(i => (home + i) % shards).ToList();
    }
}
