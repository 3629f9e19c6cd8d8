using System.Collections.Concurrent;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Bench.Ports;

// Fast in-memory stand-ins for every port the real activities use, so the "orders" scenario measures the engine,
// the orchestrator and the inventory entity, not storage or HTTP. They keep just enough state to be checked.

/// <summary>Orders in a dictionary; status moves are checked against the real state machine.</summary>
public sealed class BenchOrderStore : IOrderStore
{
    private readonly ConcurrentDictionary<string, Entry> orders = new(StringComparer.Ordinal);

    public int Count => this.orders.Count;

    /// <summary>Drops a finished order (long bench runs).</summary>
    public void Forget(string orderId) => this.orders.TryRemove(orderId, out _);

    /// <summary>How many stored orders are in <paramref name="status"/>.</summary>
    public int CountIn(OrderStatus status) => this.orders.Values.Count(e => e.Status == status);

    public Task<bool> CreateAsync(Order order, DateTimeOffset at, CancellationToken cancellationToken = default)
        => Task.FromResult(this.orders.TryAdd(order.OrderId, new Entry(order, at)));

    public Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken = default)
    {
        if (!this.orders.TryGetValue(orderId, out var entry))
        {
            return Task.FromResult<OrderRecord?>(null);
        }

        lock (entry)
        {
            return Task.FromResult<OrderRecord?>(new OrderRecord(entry.Order, entry.Status, [.. entry.Fulfillments.Values], [.. entry.Timeline]));
        }
    }

    public Task TransitionAsync(string orderId, OrderStatus to, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entry = this.Get(orderId);
        lock (entry)
        {
            entry.Status = OrderStatusMachine.Transition(entry.Status, to);
            entry.UpdatedAt = at;
            entry.Timeline.Add(new TimelineEntry(at, "status", note));
        }

        return Task.CompletedTask;
    }

    public Task UpdateChannelPaymentAsync(string orderId, ChannelPayment payment, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entry = this.Get(orderId);
        lock (entry)
        {
            entry.Order = entry.Order with { Payment = payment };
            entry.UpdatedAt = at;
            entry.Timeline.Add(new TimelineEntry(at, "payment", note));
        }

        return Task.CompletedTask;
    }

    public Task UpdateShippingAddressAsync(string orderId, Address address, string correctedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entry = this.Get(orderId);
        lock (entry)
        {
            entry.Order = entry.Order with { ShippingAddress = address };
            entry.UpdatedAt = at;
            entry.Timeline.Add(new TimelineEntry(at, "address", $"Shipping address corrected by {correctedBy}."));
        }

        return Task.CompletedTask;
    }

    public Task AppendTimelineAsync(string orderId, TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        var stored = this.Get(orderId);
        lock (stored)
        {
            stored.Timeline.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task UpsertFulfillmentAsync(string orderId, FulfillmentRecord fulfillment, CancellationToken cancellationToken = default)
    {
        var stored = this.Get(orderId);
        lock (stored)
        {
            stored.Fulfillments[fulfillment.FulfillmentId] = fulfillment;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListOrdersAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<string>>([.. this.orders.Where(o => o.Value.UpdatedAt >= from && o.Value.UpdatedAt < to).Select(o => o.Key).Take(limit)]);

    public Task<IReadOnlyList<OrderInStatus>> ListOrdersInStatusAsync(OrderStatus status, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<OrderInStatus>>([.. this.orders
            .Where(o => o.Value.Status == status && o.Value.UpdatedAt < updatedBefore)
            .Select(o => new OrderInStatus(o.Key, status, o.Value.UpdatedAt))
            .Take(limit)]);

    private Entry Get(string orderId)
        => this.orders.TryGetValue(orderId, out var entry) ? entry : throw new InvalidOperationException($"Order {orderId} is not stored.");

    private sealed class Entry(Order order, DateTimeOffset at)
    {
        public Order Order { get; set; } = order;

        public OrderStatus Status { get; set; } = OrderStatus.Received;

        public DateTimeOffset UpdatedAt { get; set; } = at;

        public Dictionary<string, FulfillmentRecord> Fulfillments { get; } = new(StringComparer.Ordinal);

        public List<TimelineEntry> Timeline { get; } = [new TimelineEntry(at, "status", "Received.")];
    }
}

/// <summary>Accepted deliveries: the bench puts each order here before it starts the order's workflow.</summary>
public sealed class BenchDeliveryStore : IDeliveryStore
{
    private readonly ConcurrentDictionary<(string Source, string DeliveryId), Order> orders = new();

    public void Put(string deliveryId, Order order) => this.orders[(order.Source, deliveryId)] = order;

    /// <summary>Drops a finished order's delivery (long bench runs).</summary>
    public void Forget(string source, string deliveryId) => this.orders.TryRemove((source, deliveryId), out _);

    public Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
        => Task.FromResult(this.orders.TryAdd((delivery.Source, delivery.DeliveryId), order));

    public Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
        => Task.FromResult(new OrderContentClaim(orderId, contentHash, deliveryId));

    public Task ReleaseOrderClaimAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordRejectedAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<WebhookDelivery?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken = default)
        => Task.FromResult<WebhookDelivery?>(null);

    public Task<Order?> GetOrderAsync(string source, string deliveryId, CancellationToken cancellationToken = default)
        => Task.FromResult(this.orders.TryGetValue((source, deliveryId), out var order) ? order : null);
}

/// <summary>A fixed set of sellable SKUs.</summary>
public sealed class BenchCatalog(IEnumerable<string> skus) : ICatalog
{
    private readonly HashSet<string> sellable = new(skus, StringComparer.Ordinal);

    public Task<IReadOnlySet<string>> FindSellableAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlySet<string>>(skus.Where(this.sellable.Contains).ToHashSet(StringComparer.Ordinal));

    public Task UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> ListSkusAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<string>>([.. this.sellable]);

    public Task<CatalogItem?> GetAsync(string sku, CancellationToken cancellationToken = default)
        => Task.FromResult(this.sellable.Contains(sku) ? new CatalogItem(sku, sku, true) : null);
}

/// <summary>Every payment is authorized for exactly the expected amount (auth-then-capture), every capture succeeds.</summary>
public sealed class BenchPaymentGateway : IPaymentGateway
{
    private int captures;

    public int Captures => this.captures;

    public Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new PaymentVerification(PaymentState.RequiresCapture, request.Expected, "normal", null));

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.captures);
        return Task.FromResult(new CaptureResult(true, request.Amount, "ch_" + request.IdempotencyKey, null));
    }

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new RefundResult(true, request.Amount, "re_" + request.IdempotencyKey, null));
}

/// <summary>Labels made up from the request.</summary>
public sealed class BenchCarrier : ICarrierGateway
{
    public Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new ShippingLabel(
            "bench", "ground", "TRK-" + request.FulfillmentId, "https://example.invalid/t/" + request.FulfillmentId,
            "https://example.invalid/l/" + request.FulfillmentId, new Domain.Common.Money(500, "USD")));

    public Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new LabelVoidResult(LabelVoidResult.Submitted));
}

/// <summary>
/// The location "ships" at once: the hand-off raises the fulfillment's confirmation event back through the engine's
/// client, so every order runs to completion. (An event that arrives before the orchestrator waits for it is buffered.)
/// </summary>
public sealed class BenchFulfillment(TaskHubWorkflowClient client, TimeProvider clock) : IFulfillmentProvider, IFulfillmentCanceller
{
    /// <summary>Bench orders are never cancelled; a cancellation would be stopped at once.</summary>
    public Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
        => Task.FromResult(new LocationCancelAnswer(LocationCancelAnswer.Cancelled));

    private readonly ConcurrentDictionary<string, long> firstDispatch = new(StringComparer.Ordinal);
    private int dispatches;

    public int Dispatches => this.dispatches;

    /// <summary>When the order's first parcel was handed to the location (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), if it was.</summary>
    public long? FirstDispatchAt(string orderId) => this.firstDispatch.TryGetValue(orderId, out var at) ? at : null;

    /// <summary>Drops a finished order's hand-off time (long bench runs).</summary>
    public void Forget(string orderId) => this.firstDispatch.TryRemove(orderId, out _);

    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.dispatches);
        this.firstDispatch.TryAdd(dispatch.OrderId, System.Diagnostics.Stopwatch.GetTimestamp());
        await client.RaiseEventAsync(
            dispatch.OrderId,
            FulfillmentConfirmation.EventName(dispatch.FulfillmentId),
            new FulfillmentConfirmation(dispatch.FulfillmentId, FulfillmentConfirmation.Shipped, clock.GetUtcNow(), "bench"),
            cancellationToken).ConfigureAwait(false);
        return "bench-" + dispatch.FulfillmentId;
    }
}

/// <summary>Customer messages are counted, not sent.</summary>
public sealed class BenchNotifier : ICustomerNotifier
{
    private readonly ConcurrentDictionary<string, byte> sent = new(StringComparer.Ordinal);

    public Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
        => Task.FromResult(this.sent.TryAdd(notification.Key, 0));

    /// <summary>Forgets the keys sent so far (long bench runs; the bench never sends a key twice).</summary>
    public void Clear() => this.sent.Clear();
}

/// <summary>Sales are counted, once per reference.</summary>
public sealed class BenchLedger : IAccountingLedger
{
    private readonly ConcurrentDictionary<string, byte> posted = new(StringComparer.Ordinal);

    public int Posted => this.posted.Count;

    /// <summary>Forgets the references posted so far (long bench runs; the bench never posts one twice).</summary>
    public void Clear() => this.posted.Clear();

    public Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default)
    {
        this.posted.TryAdd(entry.Reference, 0);
        return Task.FromResult("je-" + entry.Reference);
    }

    public Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default)
    {
        this.posted.TryAdd(entry.Reference, 0);
        return Task.FromResult("cn-" + entry.Reference);
    }

    public Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<AccountingDocument>>([]);
}

/// <summary>The bench's payments as the provider would report them: nothing recorded (the bench never reconciles).</summary>
public sealed class BenchPaymentLedgerReader : IPaymentLedgerReader
{
    public Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default)
        => Task.FromResult<PaymentFacts?>(null);
}

/// <summary>Reconciliation reports kept in memory.</summary>
public sealed class BenchReconciliationReports : IReconciliationReportStore
{
    private readonly ConcurrentDictionary<string, ReconciliationReport> reports = new(StringComparer.Ordinal);

    public Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        this.reports[report.ReportId] = report;
        return Task.CompletedTask;
    }

    public Task<ReconciliationReport?> GetAsync(string reportId, CancellationToken cancellationToken = default)
        => Task.FromResult(this.reports.GetValueOrDefault(reportId));
}

/// <summary>Returns kept in memory (the bench never returns anything; registered so every activity resolves).</summary>
public sealed class BenchReturns : IReturnStore
{
    private readonly ConcurrentDictionary<string, ReturnRecord> returns = new(StringComparer.Ordinal);

    public Task<bool> CreateAsync(ReturnRecord record, CancellationToken cancellationToken = default)
        => Task.FromResult(this.returns.TryAdd(record.ReturnId, record));

    public Task<ReturnRecord?> GetAsync(string returnId, CancellationToken cancellationToken = default)
        => Task.FromResult(this.returns.GetValueOrDefault(returnId));

    public Task<IReadOnlyList<ReturnRecord>> ListForOrderAsync(string orderId, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ReturnRecord>>([.. this.returns.Values.Where(r => r.OrderId == orderId)]);

    public Task UpdateAsync(ReturnUpdate update, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        this.returns.AddOrUpdate(
            update.ReturnId,
            _ => throw new InvalidOperationException($"Return {update.ReturnId} is not stored."),
            (_, r) => r with { Status = update.Status, Note = update.Note, UpdatedAt = at });
        return Task.CompletedTask;
    }
}

/// <summary>Cases are counted; a bench order should never open one.</summary>
public sealed class BenchExceptionQueue : IExceptionQueue
{
    private readonly ConcurrentQueue<OpenCaseRequest> opened = new();

    public IReadOnlyCollection<OpenCaseRequest> Opened => this.opened;

    public Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default)
    {
        this.opened.Enqueue(request);
        return Task.CompletedTask;
    }

    public Task AlertAsync(string caseId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RemindAsync(string caseId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Ledger writes are counted in memory (the real ledger is an Azure Table); alerts are counted, not emailed.</summary>
public sealed class BenchStockJournal : IStockJournal, IStockAlerts
{
    private long movements;

    public long Movements => Interlocked.Read(ref this.movements);

    public Task RecordAsync(StockJournalEntry entry, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref this.movements, entry.Movements.Count);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StockLedgerLine>> ReadAsync(string sku, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<StockLedgerLine>>([]);

    public Task<bool> NotifyAsync(OrderFlow.Domain.Inventory.LowStockAlert alert, CancellationToken cancellationToken = default)
        => Task.FromResult(true);

    public Task RecordNotifyFailureAsync(OrderFlow.Domain.Inventory.LowStockAlert alert, string error, CancellationToken cancellationToken = default)
        => Task.CompletedTask;

    public Task<IReadOnlyList<StockAlertRecord>> ListAsync(int max, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<StockAlertRecord>>([]);
}

/// <summary>Payment intent bindings in memory (first claim wins); no provider notices ever arrive in the bench.</summary>
public sealed class BenchPaymentEventStore : IPaymentEventStore
{
    private readonly ConcurrentDictionary<string, string> bindings = new(StringComparer.Ordinal);

    /// <summary>Drops a finished order's binding (long bench runs).</summary>
    public void Forget(string paymentIntentId) => this.bindings.TryRemove(paymentIntentId, out _);

    public Task<string> RecordOrderAsync(string paymentIntentId, string orderId, CancellationToken cancellationToken = default)
        => Task.FromResult(this.bindings.GetOrAdd(paymentIntentId, orderId));

    public Task<string?> FindOrderAsync(string paymentIntentId, CancellationToken cancellationToken = default)
        => Task.FromResult(this.bindings.TryGetValue(paymentIntentId, out var orderId) ? orderId : null);

    public Task<bool> AddPendingAsync(PaymentEventNotice notice, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<IReadOnlyList<PaymentEventNotice>> GetPendingAsync(string paymentIntentId, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<PaymentEventNotice>>([]);

    public Task MarkRaisedAsync(string paymentIntentId, string eventId, string orderId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Every bench customer is new: no prior orders, so fraud screening never holds a bench order.</summary>
public sealed class BenchRecentOrders : IRecentOrderStore
{
    public Task<Domain.Fraud.FraudHistory> ReadAsync(Domain.Fraud.FraudKeys keys, string orderId, string currency, DateTimeOffset since, CancellationToken cancellationToken = default)
        => Task.FromResult(new Domain.Fraud.FraudHistory(0, 0, 0, 0, 0, 0));

    public Task RecordOrderAsync(Domain.Fraud.FraudKeys keys, string orderId, Domain.Common.Money total, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordFailedPaymentAsync(Domain.Fraud.FraudKeys keys, string orderId, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
