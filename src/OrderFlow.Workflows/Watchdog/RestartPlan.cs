using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Watchdog;

/// <summary>
/// Where a restarted order run resumes, from what the order store recorded (<see cref="RecordedProgress"/>):
/// <list type="bullet">
/// <item>nothing shipped yet: the lifecycle runs again from the start; every outbound call repeats its idempotency key
/// (same instance id), so no second charge, label, hand-off or email, and the stock entity returns the hold it has;</item>
/// <item>something shipped and nothing is in flight: settle what shipped (capture, refund what will not ship, book the
/// sale) without labelling, handing off or emailing again;</item>
/// <item>otherwise (a parcel in flight beside one that shipped, or still waiting for backordered units after shipping):
/// refused, a person finishes the order by hand and acknowledges the case.</item>
/// </list>
/// A cancel restart is refused once something shipped (what shipped cannot be cancelled; a return handles it).
/// </summary>
public static class RestartPlan
{
    /// <summary>Fulfillment statuses that count as gone to the customer.</summary>
    public static readonly IReadOnlySet<string> Shipped = new HashSet<string>(StringComparer.Ordinal) { "shipped", "delivered" };

    /// <summary>Fulfillment statuses after which nothing more happens to that fulfillment.</summary>
    public static readonly IReadOnlySet<string> Final = new HashSet<string>(StringComparer.Ordinal) { "shipped", "delivered", "cancelled", "rerouted" };

    /// <summary>The recorded fulfillments that shipped (empty: resume from the start).</summary>
    public static IReadOnlyList<FulfillmentRecord> ShippedFulfillments(RecordedProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return [.. progress.Fulfillments.Where(f => Shipped.Contains(f.Status))];
    }

    /// <summary>Null when a run can resume from <paramref name="progress"/> (<paramref name="cancel"/>: cancel it), else why not.</summary>
    public static string? WhyNot(RecordedProgress progress, bool cancel)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (OrderStatusMachine.IsTerminal(progress.Status))
        {
            return $"the order is already {progress.Status}";
        }

        var shipped = ShippedFulfillments(progress).Count > 0;
        if (cancel)
        {
            // As a cancellation after a shipment, what shipped cannot be stopped (nor its money returned by a cancel).
            return shipped ? "something already shipped; restart it to settle what shipped (a return handles the goods)" : null;
        }

        if (!shipped)
        {
            return null;
        }

        var inFlight = progress.Fulfillments.Where(f => !Final.Contains(f.Status)).Select(f => $"{f.FulfillmentId} ({f.Status})").ToList();
        if (inFlight.Count > 0)
        {
            return $"fulfillments are in flight beside ones that shipped: {string.Join(", ", inFlight)}; finish the order by hand and acknowledge the case";
        }

        return progress.Status is OrderStatus.PartiallyFulfilled or OrderStatus.Backordered
            ? $"the order is {progress.Status} and waits for backordered units after shipping; finish the order by hand and acknowledge the case"
            : null;
    }
}
