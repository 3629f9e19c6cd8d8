using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IOrderStore"/> with the real store's rules: create is idempotent per order id, and a
/// transition must be allowed by <see cref="OrderStatusMachine"/> (moving to the current status is a no-op).
/// Records every status an order passed through and every transition it refused.
/// </summary>
public sealed class FakeOrderStore(ChangeFeed feed) : IOrderStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> orders = new(StringComparer.Ordinal);
    private readonly List<string> refused = [];
    private int createCalls;

    /// <summary>Create writes the order, then fails this many times (a lost acknowledgement).</summary>
    public FaultPlan FailAfterCreate { get; } = new();

    /// <summary>The next fulfillment writes fail before anything is written.</summary>
    public FaultPlan FailFulfillmentWrite { get; } = new();

    /// <summary>The next writes of an awaiting-confirmation record (the one the hand-off carries) fail before anything is written.</summary>
    public FaultPlan FailAwaitingConfirmationWrite { get; } = new();

    /// <summary>When set, <see cref="FailAwaitingConfirmationWrite"/> counts and fails only this fulfillment's writes.</summary>
    public string? FailAwaitingConfirmationOf { get; set; }

    public int CreateCalls => Volatile.Read(ref this.createCalls);

    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.orders.Count;
            }
        }
    }

    /// <summary>Drops a finished order (the bench's long runs, so the fake does not grow with every order).</summary>
    public void Forget(string orderId)
    {
        lock (this.gate)
        {
            this.orders.Remove(orderId);
        }
    }

    /// <summary>Transitions the state machine refused, as "orderId: From -> To".</summary>
    public IReadOnlyList<string> RefusedTransitions
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.refused];
            }
        }
    }

    public Task<bool> CreateAsync(Order order, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        bool created;
        lock (this.gate)
        {
            this.createCalls++;
            created = this.orders.TryAdd(order.OrderId, new Entry(order, at));
        }

        feed.Publish();
        if (this.FailAfterCreate.ShouldFail())
        {
            throw new TransientPortException($"Order store connection reset after writing {order.OrderId}.");
        }

        return Task.FromResult(created);
    }

    public Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult(this.orders.TryGetValue(orderId, out var e) ? e.Snapshot() : null);
        }
    }

    public Task TransitionAsync(string orderId, OrderStatus to, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            lock (this.gate)
            {
                var e = this.orders.GetValueOrDefault(orderId) ?? throw new InvalidOperationException($"Order {orderId} is not recorded.");
                e.Requested.Add($"{to}: {note}");
                if (e.Status == to)
                {
                    return Task.CompletedTask;
                }

                if (!OrderStatusMachine.CanTransition(e.Status, to))
                {
                    this.refused.Add($"{orderId}: {e.Status} -> {to}");
                    throw new InvalidOrderTransitionException(e.Status, to);
                }

                e.Status = to;
                e.UpdatedAt = at;
                e.History.Add(to);
                e.Timeline.Add(new TimelineEntry(at, "status", $"{to}: {note}"));
                return Task.CompletedTask;
            }
        }
        finally
        {
            feed.Publish();
        }
    }

    public Task UpdateShippingAddressAsync(string orderId, Address address, string correctedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            var e = Require(orderId);
            e.Order = e.Order with { ShippingAddress = address };
            e.UpdatedAt = at;
            e.Timeline.Add(new TimelineEntry(at, "address", $"Shipping address corrected by {correctedBy}."));
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task UpdateChannelPaymentAsync(string orderId, ChannelPayment payment, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            var e = Require(orderId);
            if (e.Order.Payment != payment)
            {
                e.Order = e.Order with { Payment = payment };
                e.UpdatedAt = at;
                e.Timeline.Add(new TimelineEntry(at, "payment", note));
            }
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task AppendTimelineAsync(string orderId, TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            Require(orderId).Timeline.Add(entry);
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task UpsertFulfillmentAsync(string orderId, FulfillmentRecord fulfillment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fulfillment);
        if (this.FailFulfillmentWrite.ShouldFail() || (fulfillment.Status == "awaiting-confirmation"
                && (this.FailAwaitingConfirmationOf is null || this.FailAwaitingConfirmationOf == fulfillment.FulfillmentId)
                && this.FailAwaitingConfirmationWrite.ShouldFail()))
        {
            throw new TransientPortException($"Order store connection reset before writing {fulfillment.FulfillmentId} of {orderId}.");
        }

        lock (this.gate)
        {
            var fulfillments = Require(orderId).Fulfillments;
            var at = fulfillments.FindIndex(f => f.FulfillmentId == fulfillment.FulfillmentId);
            if (at < 0)
            {
                fulfillments.Add(fulfillment);
            }
            else
            {
                fulfillments[at] = fulfillment;
            }
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListOrdersAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. this.orders.Where(o => o.Value.UpdatedAt >= from && o.Value.UpdatedAt < to).Select(o => o.Key).Take(limit)]);
        }
    }

    public Task<IReadOnlyList<OrderInStatus>> ListOrdersInStatusAsync(
        OrderStatus status, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult<IReadOnlyList<OrderInStatus>>([.. this.orders
                .Where(o => o.Value.Status == status && o.Value.UpdatedAt < updatedBefore)
                .Select(o => new OrderInStatus(o.Key, status, o.Value.UpdatedAt))
                .Take(limit)]);
        }
    }

    /// <summary>Stores an order as a finished workflow left it: status, fulfillments, last updated at <paramref name="updatedAt"/>.</summary>
    public void Seed(Order order, OrderStatus status, DateTimeOffset updatedAt, params FulfillmentRecord[] fulfillments)
    {
        lock (this.gate)
        {
            var e = new Entry(order, updatedAt) { Status = status, UpdatedAt = updatedAt };
            e.History.Add(status);
            e.Fulfillments.AddRange(fulfillments);
            this.orders[order.OrderId] = e;
        }

        feed.Publish();
    }

    /// <summary>Timeline entries of <paramref name="kind"/> the order has.</summary>
    public IReadOnlyList<TimelineEntry> TimelineOf(string orderId, string kind)
    {
        lock (this.gate)
        {
            return [.. Require(orderId).Timeline.Where(t => t.Kind == kind)];
        }
    }

    /// <summary>Current status, or null when the order is not recorded.</summary>
    public OrderStatus? StatusOf(string orderId)
    {
        lock (this.gate)
        {
            return this.orders.TryGetValue(orderId, out var e) ? e.Status : null;
        }
    }

    /// <summary>Every status the order has had, starting with Received.</summary>
    /// <summary>
    /// Every status move the workflow asked for, "{status}: {note}", in order, including moves to the status the order was
    /// already in (no-ops that leave no trace in <see cref="HistoryOf"/>): how a test sees that the workflow took an event.
    /// </summary>
    public IReadOnlyList<string> RequestedTransitionsOf(string orderId)
    {
        lock (this.gate)
        {
            return this.orders.TryGetValue(orderId, out var e) ? [.. e.Requested] : [];
        }
    }

    public IReadOnlyList<OrderStatus> HistoryOf(string orderId)
    {
        lock (this.gate)
        {
            return this.orders.TryGetValue(orderId, out var e) ? [.. e.History] : [];
        }
    }

    public OrderRecord Get(string orderId)
    {
        lock (this.gate)
        {
            return Require(orderId).Snapshot();
        }
    }

    /// <summary>What a person does in the admin UI before retrying a case: correct the shipping address.</summary>
    public void ReplaceShippingAddress(string orderId, Address address)
    {
        lock (this.gate)
        {
            var e = Require(orderId);
            e.Order = e.Order with { ShippingAddress = address };
        }

        feed.Publish();
    }

    private Entry Require(string orderId) =>
        this.orders.GetValueOrDefault(orderId) ?? throw new InvalidOperationException($"Order {orderId} is not recorded.");

    private sealed class Entry(Order order, DateTimeOffset at)
    {
        public Order Order { get; set; } = order;

        public OrderStatus Status { get; set; } = OrderStatus.Received;

        public DateTimeOffset UpdatedAt { get; set; } = at;

        public List<OrderStatus> History { get; } = [OrderStatus.Received];

        /// <summary>Every transition asked for, "{status}: {note}", also a move to the current status (a no-op).</summary>
        public List<string> Requested { get; } = [];

        public List<FulfillmentRecord> Fulfillments { get; } = [];

        public List<TimelineEntry> Timeline { get; } = [new TimelineEntry(at, "status", "Received.")];

        public OrderRecord Snapshot() => new(this.Order, this.Status, [.. this.Fulfillments], [.. this.Timeline]);
    }
}
