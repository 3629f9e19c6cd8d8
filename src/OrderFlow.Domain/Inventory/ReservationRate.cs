namespace OrderFlow.Domain.Inventory;

/// <summary>
/// How often an inventory entity is asked to reserve: the count of Reserve operations in the current clock minute and in
/// the minute before, kept in the entity's own state (an entity is never replayed, so it may read the clock). Cheap (two
/// counters written with the state the operation saves anyway, nothing read elsewhere) and true (every Reserve operation
/// the entity served counts, a repeat or a shortage too: each one queued behind the others). The automatic split reads it
/// from the SKU's entities on the reaper's pass (docs/inventory.md, "Hot SKUs").
/// </summary>
public sealed class ReservationRate
{
    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    /// <summary>The clock minute (UTC, whole minute) <see cref="Count"/> belongs to.</summary>
    public DateTimeOffset Minute { get; set; }

    /// <summary>Reserve operations in <see cref="Minute"/> so far.</summary>
    public int Count { get; set; }

    /// <summary>Reserve operations in the minute before <see cref="Minute"/> (0 when none ran then).</summary>
    public int PreviousCount { get; set; }

    /// <summary>Counts one Reserve operation run at <paramref name="at"/>.</summary>
    public void Add(DateTimeOffset at)
    {
        var minute = Floor(at);
        if (minute > this.Minute)
        {
            this.PreviousCount = minute - this.Minute == OneMinute ? this.Count : 0;
            this.Minute = minute;
            this.Count = 0;
        }

        // A clock that stepped back counts in the current minute.
        this.Count = this.Count == int.MaxValue ? int.MaxValue : this.Count + 1;
    }

    /// <summary>
    /// Reservations per minute as of <paramref name="now"/>: the fuller of the last whole minute and the current one so
    /// far; 0 when the entity was not asked for a whole minute.
    /// </summary>
    public int PerMinute(DateTimeOffset now)
    {
        var minute = Floor(now);
        if (minute <= this.Minute)
        {
            return Math.Max(this.Count, this.PreviousCount);
        }

        return minute - this.Minute == OneMinute ? this.Count : 0;
    }

    private static DateTimeOffset Floor(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
