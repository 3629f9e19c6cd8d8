using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// What one run of the order workflow shares between its steps: the order, its progress and settlement, the verified
/// payment, the cancellation being carried out, the status the order is in, and the signals that stop parallel branches.
/// </summary>
internal sealed class OrderState(OrderWorkflowInput input)
{
    public OrderWorkflowInput Input => input;

    public string OrderId => input.OrderId;

    /// <summary>The restart this run carries out (null for an order's first run, and before <see cref="OrderWorkflowVersions.Restartable"/>).</summary>
    public WorkflowRestart? Restart => input.Runs(OrderWorkflowVersions.Restartable) ? input.Restart : null;

    /// <summary>Who the ledger names for this workflow's stock changes.</summary>
    public string Actor => $"order:{this.OrderId}";

    public OrderSummary Order { get; private set; } = null!;

    /// <summary>What shipped, what is held, what was captured (set with the order).</summary>
    public OrderProgress Progress { get; private set; } = null!;

    /// <summary>The order's money maths (set with the order).</summary>
    public OrderSettlement Settlement { get; private set; } = null!;

    /// <summary>Out-of-stock policy per order SKU, read once before the first reservation.</summary>
    public Dictionary<string, StockPolicy> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The verified payment (null until verified): what a cancellation refunds or voids.</summary>
    public PaymentVerification? Payment { get; set; }

    /// <summary>The whole-order cancellation being carried out (its restock/refund/notify choices), if any.</summary>
    public CancelOrderRequest? Cancellation { get; set; }

    /// <summary>Why the order is being cancelled, for the unwinding in the workflow's <c>ExecuteAsync</c>.</summary>
    public (string Message, string? ReasonCode)? CancelCause { get; set; }

    /// <summary>Set while the order is cancelled: a step failing then is not turned into another cancellation.</summary>
    public bool Cancelling { get; set; }

    /// <summary>Completed when a person cancels the order from inside a step: parallel branches stop waiting.</summary>
    public TaskCompletionSource CancelSignal { get; } = new();

    /// <summary>Completed when a whole-order cancellation arrives after something shipped: unshipped fulfillments stop.</summary>
    public TaskCompletionSource StopSignal { get; } = new();

    /// <summary>
    /// Revision 5: fulfillments handed to their location and not yet answered, with their labels (in id order): what a
    /// cancellation that unwinds the workflow recalls.
    /// </summary>
    public SortedDictionary<string, (PlannedFulfillment Plan, ShippingLabel Label)> AtLocation { get; } = new(StringComparer.Ordinal);

    public OrderStatus Current { get; set; } = OrderStatus.Received;

    /// <summary>The last status outside a hold: where the order resumes once no case holds it.</summary>
    public OrderStatus Phase { get; set; } = OrderStatus.Received;

    /// <summary>Refund child workflows this run started (from <see cref="OrderWorkflowVersions.RefundsAsChild"/>): the next one's number.</summary>
    public int RefundChildren { get; set; }

    /// <summary>Cases open right now (parallel fulfillments can hold the order together).</summary>
    public int OpenCases { get; set; }

    /// <summary>
    /// The reason code the customer was given for the hold the order is in (OnHold email), until it is told the order
    /// goes on or the hold ends; null when the customer was not told of a hold.
    /// </summary>
    public string? HoldToldAs { get; set; }

    /// <summary>
    /// A case decided Cancel while the customer knew of the hold (a parcel dropped, the order going on): what does not
    /// ship is told at settlement (Cancelled with the items), since the customer was promised word of what happens next.
    /// </summary>
    public bool ToldHoldDroppedGoods { get; set; }

    /// <summary>
    /// The instance id idempotency keys derive from: the order workflow's (null: the running workflow's own). A
    /// Fulfillment child sets it to its order's (<see cref="OrderWorkflowVersions.FulfillmentAsChild"/>).
    /// </summary>
    public string? KeyInstanceId { get; init; }

    /// <summary>In a Fulfillment child: the entity holding each of its parcel's SKUs, as the order told it (null in the order workflow).</summary>
    public IReadOnlyDictionary<string, string>? ParcelStockKeys { get; init; }

    /// <summary>In a Fulfillment child: true once its order asked it to stop at once (the order is being cancelled).</summary>
    public Func<bool> UnwindRequested { get; set; } = static () => false;

    /// <summary>
    /// From <see cref="OrderWorkflowVersions.SingleParcelInline"/>: whether this run's parcels run in the order workflow
    /// itself, decided once when its first fulfillment wave is routed (<see cref="FirstWaveRouted"/>); null before that
    /// and for earlier revisions.
    /// </summary>
    public bool? ParcelsInline { get; private set; }

    /// <summary>
    /// Whether the order's parcels run in Fulfillment children: from <see cref="OrderWorkflowVersions.FulfillmentAsChild"/>,
    /// unless this run decided to run them inline (<see cref="ParcelsInline"/>). Before the first wave is routed no parcel
    /// exists, so either answer leaves nothing to recall.
    /// </summary>
    public bool ParcelsAsChildren => input.Runs(OrderWorkflowVersions.FulfillmentAsChild) && this.ParcelsInline != true;

    /// <summary>
    /// From <see cref="OrderWorkflowVersions.SingleParcelInline"/>, the first time a fulfillment wave is routed: an order
    /// routed into exactly one parcel runs its parcels inline for the rest of this run (later waves and re-routes too).
    /// </summary>
    public void FirstWaveRouted(int parcels)
    {
        if (this.ParcelsInline is null && input.Runs(OrderWorkflowVersions.SingleParcelInline))
        {
            this.ParcelsInline = parcels == 1;
        }
    }

    /// <summary>
    /// While the order is cancelled, when its parcels run as Fulfillment children (<see cref="ParcelsAsChildren"/>): parcels
    /// its stopped children found had left anyway (treated as shipped), for the late-cancellation settlement. Parcels run
    /// inline are recalled from <see cref="AtLocation"/> instead.
    /// </summary>
    public List<PlannedFulfillment> LateShipped { get; } = [];

    /// <summary>A Fulfillment child's state: no order summary, only the progress its parcel changes (its plan, in <c>AllPlans</c>).</summary>
    public void ForParcel(string currency, PlannedFulfillment plan)
    {
        this.Progress = new OrderProgress(currency);
        this.Progress.AllPlans.Add(plan);
    }

    public void Recorded(OrderSummary order)
    {
        this.Order = order;
        this.Progress = new OrderProgress(order.Currency);
        this.Settlement = new OrderSettlement(order.Totals, order.Currency, order.Lines.Select(l => (l.Sku, l.UnitPrice)));
    }

    /// <summary>
    /// The entity holding the order's reservation of <paramref name="sku"/>: the shard its outcome names when the SKU's
    /// stock is split (<see cref="Domain.Inventory.StockShards"/>), else the SKU's own entity. Before this run reserved
    /// the SKU, a restarted run's holds are where the restart found them (<see cref="RestartHeldAt"/>).
    /// </summary>
    public string StockKey(string sku) =>
        this.ParcelStockKeys is { } parcel ? parcel.GetValueOrDefault(sku, sku) :
        this.Progress.Reservations.LastOrDefault(r => r.Sku == sku) is { } reserved ? reserved.Shard ?? sku : this.RestartHeldAt(sku) ?? sku;

    /// <summary>
    /// The entity that held the order's units of split SKU <paramref name="sku"/> when this run's restart was asked for
    /// (<see cref="WorkflowRestart.StockHeldAt"/>); null for a first run and for restarts that did not record it.
    /// </summary>
    public string? RestartHeldAt(string sku) =>
        this.Restart?.StockHeldAt is { } heldAt && heldAt.TryGetValue(sku, out var key) && Domain.Inventory.StockShards.SkuOf(key) == sku ? key : null;

    public StockPolicy Policy(string sku) =>
        this.Policies.TryGetValue(sku, out var policy) ? policy : new StockPolicy(sku, OutOfStockPolicies.Escalate, null);

    /// <summary>Stops the step that found the order cancelled and every parallel branch with it.</summary>
    public StepCancelledException Cancel(string message, string? reasonCode = null)
    {
        this.CancelSignal.TrySetResult();
        return new StepCancelledException(message, reasonCode);
    }
}
