namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Revisions of the order workflow's behaviour. A change that alters the durable actions an order asks for (another
/// activity, event, entity operation, or a different order of them) would break orders already running when it is
/// deployed: their histories replay against the new code. Such a change gets a new number here, intake starts new
/// orders under <see cref="Current"/>, and the workflow takes the new path only when
/// <c>input.Version &gt;= </c> that number. Orders started earlier replay and finish on the path they began.
/// A revision's branches can be deleted once no order of an older revision is running.
/// </summary>
public static class OrderWorkflowVersions
{
    /// <summary>Orders started before versioning (their input has no version).</summary>
    public const int Original = 1;

    /// <summary>
    /// Stock freed by any release reaches the orders waiting for it (BackorderFilled from every release); cancelling
    /// backordered units leaves the queue without releasing units already reserved or handed off; a stock commit that
    /// moves no units is an error that opens a case.
    /// </summary>
    public const int StockReleasesTold = 2;

    /// <summary>A cancellation request reaches an order while it waits for backordered units (it waited until the fill or the deadline).</summary>
    public const int BackorderWaitHearsCancellation = 3;

    /// <summary>
    /// The customer is told (OnHold with a reason) when an OutOfStock or AddressInvalid case holds the order, and
    /// (Resumed) when the order leaves that hold and goes on; a hold that ends in cancellation is told by Cancelled.
    /// </summary>
    public const int CustomerToldOfHolds = 4;

    /// <summary>
    /// A run can replace one that ended Failed or Terminated (<see cref="OrderWorkflowInput.Restart"/>, same instance id):
    /// it reads the order's recorded progress first, keeps the recorded status where the lifecycle would move it back,
    /// settles what already shipped without labelling, handing off or emailing again, or cancels the order the normal
    /// way (release the holds, refund or void, tell the customer). A restart always runs under this revision or later.
    /// </summary>
    public const int Restartable = 5;

    /// <summary>
    /// A fulfillment dropped after its hand-off (the order cancelled, or a person dropped it) is recalled: the location is
    /// told to cancel it and its label is voided through the carrier; a location that already shipped it has it treated
    /// as shipped (captured, booked, the customer told).
    /// </summary>
    public const int CancellationReachesLocation = 6;

    /// <summary>
    /// An authorization the provider says cannot be captured more than once (<see cref="PaymentVerification.Multicapture"/>
    /// false) is captured once, for everything the order owes, when the first parcels ship and more may follow (a timeline
    /// entry says so); later parcels capture nothing, and what then does not ship is refunded from that capture.
    /// </summary>
    public const int CapturesOnceWithoutMulticapture = 7;

    /// <summary>
    /// Independent entity calls are sent together instead of one after the other: the stock reads of the SKUs an order
    /// locks, the first reservation call of each SKU (a substitute is still tried after them), and the stock commits of a
    /// parcel's lines. The same operations with the same inputs, their results taken in the same order: the round trips
    /// overlap instead of following one another (less time per order); the actions are the same.
    /// </summary>
    public const int EntityCallsFannedOut = 8;

    /// <summary>
    /// Stock is reserved without an entity critical section (a lock held across the SKU entities while the order reads,
    /// routes and reserves): each SKU entity reserves atomically and the order gives back what it took when another SKU
    /// falls short. The SKUs that can fall short are reserved first, Backorder SKUs only once they all held; a shortage
    /// is tried once more, one SKU at a time, after a pause of one to five seconds, before a case opens. Locks held by a
    /// worker that died could stall every order of those SKUs on the persistent engine until repaired.
    /// </summary>
    public const int ReservesWithoutLock = 9;

    /// <summary>
    /// Money goes back through a child workflow, <c>RefundOrchestrator</c> (instance id "{order run}:refund-{n}"), the one the
    /// return workflow uses too: the refund (or void) of a cancellation and of what did not ship, under the same idempotency
    /// keys as before (order id + "refund-{step}", "-{round}" after a retry); a refusal's RefundFailed case is opened by
    /// the child and its decision goes to the child.
    /// </summary>
    public const int RefundsAsChild = 10;

    /// <summary>
    /// A hot SKU's stock may be split across shard entities (<c>Inventory:SplitSkus</c>): the order reads and reserves at
    /// the shard its id picks, falls back to the other shards, and when every shard is short gathers their available
    /// units into the SKU's own entity and reserves there under the SKU's out-of-stock policy (a true stockout). Commits,
    /// releases, re-routes and write-offs go to the shard that holds the order's reservation (recorded in its outcome).
    /// </summary>
    public const int StockSplitAcrossShards = 11;

    /// <summary>
    /// Each parcel runs in its own child workflow, <c>FulfillmentOrchestrator</c> (instance id "{order run}:{fulfillment id}"):
    /// label (the AddressInvalid case loop), hand-off, the wait for the location's confirmation (a FulfillmentTimeout case,
    /// rejected and short answers), the recall of a parcel dropped after its hand-off, the stock commit, the record and the
    /// Shipped email, under the same idempotency keys as before (order id + step). Its cases are the child's (numbered
    /// "{order run}-F{n}-...") and their decisions go to the child. The order keeps what is order-wide: it numbers and
    /// re-routes fulfillments, runs the payment checkpoint before each label and hand-off, keeps the OnHold status and
    /// hold emails from the child's notices, forwards the location's confirmations raised to the order to the child, and
    /// stops running children when the order is cancelled (they recall their parcels as before).
    /// </summary>
    public const int FulfillmentAsChild = 12;

    /// <summary>
    /// Intake answers once the delivery is recorded and the workflow started: the order's first activity
    /// (<c>RecordOrderActivity</c>) reads what was held for the order before its workflow existed (payment notices of its
    /// intent, cancellations; <see cref="HeldAtIntake"/>), the workflow raises them to itself (payment notices first,
    /// oldest first, as intake did) and <c>ClearHeldAtIntakeActivity</c> marks them relayed. No action is added when
    /// nothing was held.
    /// </summary>
    public const int IntakeBehindStart = 13;

    /// <summary>
    /// A status change that directly follows (or precedes) another activity is carried by that activity instead of a
    /// separate <c>UpdateOrderStatusActivity</c>, written through the same code (<c>OrderStatusWriter</c>): Validated by
    /// <c>ValidateOrderActivity</c> (only when the order is valid; its input becomes a <c>ValidateOrderRequest</c>),
    /// Reserved (before routing, when the reservation tells the customer nothing and the order goes straight to its
    /// parcels) and InFulfillment (after routing) by <c>RouteOrderActivity</c>, and the final Fulfilled or
    /// PartiallyFulfilled of a completed order (after the sale is posted) by <c>PostSaleActivity</c>. The same statuses,
    /// notes and order on the order's timeline; a cancellation applied between the reservation and the routing writes
    /// Reserved first, as before.
    /// </summary>
    public const int StatusWithStep = 14;

    /// <summary>
    /// The Fulfillment child's records of a parcel that directly follow (or precede) another activity are carried by that
    /// activity instead of a separate <c>RecordFulfillmentActivity</c>, written through the same code
    /// (<c>FulfillmentRecordWriter</c>): awaiting-confirmation by <c>DispatchFulfillmentActivity</c> once the hand-off
    /// succeeded (<c>FulfillmentDispatch.Then</c>), and shipped by the Shipped email's <c>NotifyCustomerActivity</c>
    /// before the email is sent (<c>CustomerNotification.Before</c>; a retry after the email failed does not write it
    /// again). The same records, timeline entries and idempotency keys in the same order as before. When a carried record
    /// cannot be written, the hand-off's step fails as a whole (a person retries it, the hand-off is idempotent); the
    /// Shipped email's falls back to the separate record step and then the email, as before.
    /// </summary>
    public const int FulfillmentRecordWithStep = 15;

    /// <summary>
    /// The PaymentConfirmed status is written by <c>VerifyPaymentActivity</c> when it verifies the payment (its request
    /// carries the change, <c>VerifyPaymentRequest.Then</c>; the note, what was verified, is the same), through the code
    /// <c>UpdateOrderStatusActivity</c> uses, instead of a separate status activity. A payment not verified writes
    /// nothing, as before.
    /// </summary>
    public const int PaymentConfirmedWithVerification = 16;

    /// <summary>
    /// A reservation attempt asks for one activity before its entity calls, <c>PlanReservationActivity</c>: the SKUs'
    /// policies (on the first attempt; kept for the order's life as before), the stock of each SKU at the entity the
    /// order reads it from (the entity's stored state instead of a Get operation queued at it; the read only steers where
    /// the units are asked for, the entity still reserves atomically) and the routing decision with its timeline entry.
    /// It replaces <c>GetStockPoliciesActivity</c>, one entity call per SKU and <c>PlanAllocationActivity</c>.
    /// </summary>
    public const int ReservationPlannedInOneStep = 17;

    /// <summary>
    /// An order whose first fulfillment wave routes into exactly one parcel runs its parcels in the order workflow, as
    /// before <see cref="FulfillmentAsChild"/> (<c>ParcelFlow</c> inline: its cases are the order's, numbered
    /// "{order run}-..." without the fulfillment's part, their decisions and the location's confirmations go to the order),
    /// parcels that re-routing or a backorder fill add later included; no Fulfillment child, no hand-off question and no
    /// shipping notice between two workflows. The choice is made once per run, when that wave is routed, and kept in the
    /// workflow (<c>OrderState.ParcelsInline</c>); an order routed into two or more parcels runs every parcel in its child,
    /// as under <see cref="FulfillmentAsChild"/>.
    /// </summary>
    public const int SingleParcelInline = 18;

    /// <summary>
    /// Four more steps ride on the activity next to them, each written through the code its own activity uses: the first
    /// validation round of a run that is not a restart on <c>RecordOrderActivity</c> (<c>OrderSummary.Validation</c>); the
    /// OrderConfirmed email and the fraud screening on the <c>VerifyPaymentActivity</c> that verifies the payment
    /// (<c>VerifyPaymentRequest.ThenNotify</c> / <c>ThenScreen</c>, <c>PaymentVerification.ConfirmationSent</c> /
    /// <c>Fraud</c>); and the sale's posting on a capture that is the settlement's only one with nothing between it and
    /// the posting (<c>CapturePaymentRequest.Sale</c>, <c>CaptureResult.SalePosted</c>). A carried step that fails never
    /// fails the activity carrying it: the workflow runs it as its own step, as before. The same statuses, timeline,
    /// emails, cases, captures, accounting and idempotency keys as revision 18.
    /// </summary>
    public const int StepsCarriedTogether = 19;

    /// <summary>
    /// A parcel counts as at its location from the moment its hand-off is tried, not once it succeeded: when the hand-off's
    /// step fails (the location may have the parcel though the call failed, or the awaiting-confirmation record the step
    /// carries since <see cref="FulfillmentRecordWithStep"/> was not written) and the order is then cancelled, by a
    /// person's decision on the step's case or by the store, the location is told to cancel it and its label is voided,
    /// as for a parcel handed off. Before, such a parcel was neither recalled nor its label voided.
    /// </summary>
    public const int RecallFromHandOffAttempt = 20;

    /// <summary>What intake starts new orders under.</summary>
    public const int Current = RecallFromHandOffAttempt;

    /// <summary>True when the order started under <paramref name="revision"/> or later.</summary>
    public static bool Runs(this OrderWorkflowInput input, int revision)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Revision >= revision;
    }
}
