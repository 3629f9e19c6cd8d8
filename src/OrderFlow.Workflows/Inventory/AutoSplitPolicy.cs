using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Inventory;

/// <summary>What one pass of the automatic split does with a SKU.</summary>
public enum AutoSplitChange
{
    /// <summary>Nothing changes.</summary>
    None,

    /// <summary>Split: above <c>OnAbove</c> reservations per minute.</summary>
    On,

    /// <summary>Split, and the first pass of a quiet run (below <c>OffBelow</c>) is noted.</summary>
    Quiet,

    /// <summary>Split, and a quiet run ended before <c>OffAfter</c> (busy again).</summary>
    Busy,

    /// <summary>Back to one entity: quiet for <c>OffAfter</c> (or the automatic split was disabled); remembered while shards hold units.</summary>
    Off,

    /// <summary>Switched off before and every shard is empty: forgotten.</summary>
    Forget,
}

/// <summary>A pass's decision: the change and the SKU's record after it (null when forgotten or never split).</summary>
public sealed record AutoSplitDecision(AutoSplitChange Change, AutoSplit? Next);

/// <summary>
/// The automatic split's decision for one SKU on one pass (pure: the measured rate and the clock are inputs). A SKU listed
/// in <c>Inventory:SplitSkus</c> is never changed. Off, it is split above <c>OnAbove</c>; split, it goes back to one entity
/// once every pass for <c>OffAfter</c> measured fewer than <c>OffBelow</c> reservations per minute (one busier pass starts
/// the quiet time again); switched off, it is forgotten once its shards hold nothing.
/// </summary>
public static class AutoSplitPolicy
{
    public static AutoSplitDecision Decide(AutoSplitOptions options, bool configured, string sku, AutoSplit? current, int perMinute, bool shardsEmpty, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configured)
        {
            return new AutoSplitDecision(AutoSplitChange.None, current);
        }

        if (current is not { IsOn: true })
        {
            if (options.Enabled && perMinute > options.OnAbove)
            {
                return new AutoSplitDecision(AutoSplitChange.On, new AutoSplit(sku, options.Shards, now, perMinute));
            }

            return current is not null && shardsEmpty ? new AutoSplitDecision(AutoSplitChange.Forget, null) : new AutoSplitDecision(AutoSplitChange.None, current);
        }

        var off = current with { Shards = 1, Since = now, RatePerMinute = perMinute, QuietSince = null };
        if (!options.Enabled)
        {
            return new AutoSplitDecision(AutoSplitChange.Off, off);
        }

        if (perMinute >= options.OffBelow)
        {
            return current.QuietSince is null ? new AutoSplitDecision(AutoSplitChange.None, current) : new AutoSplitDecision(AutoSplitChange.Busy, current with { QuietSince = null });
        }

        if (current.QuietSince is not { } quietSince)
        {
            return new AutoSplitDecision(AutoSplitChange.Quiet, current with { QuietSince = now });
        }

        return now - quietSince >= options.OffAfter ? new AutoSplitDecision(AutoSplitChange.Off, off) : new AutoSplitDecision(AutoSplitChange.None, current);
    }
}
