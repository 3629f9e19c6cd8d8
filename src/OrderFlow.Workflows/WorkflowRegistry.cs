using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Workflows;

/// <summary>
/// The single list of durable tasks. Both hosts register exactly these; a test compares it with the Functions app.
/// </summary>
public static class WorkflowRegistry
{
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(OrderOrchestrator),
        typeof(StockAdjustmentOrchestrator),
        typeof(StockQueryOrchestrator),
        typeof(ReleaseReservationOrchestrator),
        typeof(StockRebalanceOrchestrator),
        typeof(SplitStockCheckOrchestrator),
        typeof(StockRepairOrchestrator),
        typeof(ReconciliationOrchestrator),
        typeof(ReturnOrchestrator),
        typeof(RefundOrchestrator),
        typeof(FulfillmentOrchestrator),
    ];

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(RecordOrderActivity),
        typeof(ClearHeldAtIntakeActivity),
        typeof(ValidateOrderActivity),
        typeof(VerifyPaymentActivity),
        typeof(AssessFraudActivity),
        typeof(NotifyCustomerActivity),
        typeof(PlanAllocationActivity),
        typeof(PlanReservationActivity),
        typeof(RouteOrderActivity),
        typeof(BuyLabelActivity),
        typeof(DispatchFulfillmentActivity),
        typeof(RecordFulfillmentActivity),
        typeof(RecordPaymentEventActivity),
        typeof(CapturePaymentActivity),
        typeof(PostSaleActivity),
        typeof(UpdateOrderStatusActivity),
        typeof(LoadRecordedProgressActivity),
        typeof(UpdateShippingAddressActivity),
        typeof(OpenCaseActivity),
        typeof(SendCaseReminderActivity),
        typeof(RecordCaseTimeoutActivity),
        typeof(GetStockPoliciesActivity),
        typeof(NotifyLowStockActivity),
        typeof(RefundPaymentActivity),
        typeof(RecordCancellationActivity),
        typeof(ListOrdersToReconcileActivity),
        typeof(ReconcileOrderActivity),
        typeof(SaveReconciliationReportActivity),
        typeof(RecordReturnActivity),
        typeof(AuthorizeReturnActivity),
        typeof(UpdateReturnActivity),
        typeof(PostRefundActivity),
        typeof(CancelAtLocationActivity),
        typeof(VoidLabelActivity),
    ];

    public static IReadOnlyList<Type> Entities { get; } =
    [
        typeof(InventoryEntity),
    ];
}
