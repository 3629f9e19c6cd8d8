using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Routing;
using OrderFlow.Domain.Validation;
using OrderFlow.Functions.Durable;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// One activity trigger per activity in <see cref="Workflows.WorkflowRegistry"/>, named after its class. Each resolves
/// the activity from DI (transient, constructor-injected ports) and runs it with a <see cref="FunctionActivityContext"/>
/// built from the trigger's <c>instanceId</c> binding data.
/// </summary>
public static class ActivityTriggers
{
    [Function(nameof(RecordOrderActivity))]
    public static Task<OrderSummary> RecordOrderActivity([ActivityTrigger] OrderWorkflowInput input, string instanceId, FunctionContext context) =>
        RunAsync<RecordOrderActivity, OrderWorkflowInput, OrderSummary>(input, instanceId, context);

    [Function(nameof(ClearHeldAtIntakeActivity))]
    public static Task<bool> ClearHeldAtIntakeActivity([ActivityTrigger] ClearHeldRequest input, string instanceId, FunctionContext context) =>
        RunAsync<ClearHeldAtIntakeActivity, ClearHeldRequest, bool>(input, instanceId, context);

    [Function(nameof(ValidateOrderActivity))]
    public static Task<ValidationResult> ValidateOrderActivity([ActivityTrigger] ValidateOrderRequest input, string instanceId, FunctionContext context) =>
        RunAsync<ValidateOrderActivity, ValidateOrderRequest, ValidationResult>(input, instanceId, context);

    [Function(nameof(VerifyPaymentActivity))]
    public static Task<PaymentVerification> VerifyPaymentActivity([ActivityTrigger] VerifyPaymentRequest input, string instanceId, FunctionContext context) =>
        RunAsync<VerifyPaymentActivity, VerifyPaymentRequest, PaymentVerification>(input, instanceId, context);

    [Function(nameof(AssessFraudActivity))]
    public static Task<FraudAssessment> AssessFraudActivity([ActivityTrigger] AssessFraudRequest input, string instanceId, FunctionContext context) =>
        RunAsync<AssessFraudActivity, AssessFraudRequest, FraudAssessment>(input, instanceId, context);

    [Function(nameof(NotifyCustomerActivity))]
    public static Task<bool> NotifyCustomerActivity([ActivityTrigger] CustomerNotification input, string instanceId, FunctionContext context) =>
        RunAsync<NotifyCustomerActivity, CustomerNotification, bool>(input, instanceId, context);

    [Function(nameof(PlanAllocationActivity))]
    public static Task<AllocationDecision> PlanAllocationActivity([ActivityTrigger] AllocationRequest input, string instanceId, FunctionContext context) =>
        RunAsync<PlanAllocationActivity, AllocationRequest, AllocationDecision>(input, instanceId, context);

    [Function(nameof(PlanReservationActivity))]
    public static Task<ReservationPlan> PlanReservationActivity(
        [ActivityTrigger] PlanReservationRequest input, [DurableClient] DurableTaskClient client, string instanceId, FunctionContext context) =>
        RunAsync<PlanReservationActivity, PlanReservationRequest, ReservationPlan>(input, instanceId, context, client);

    [Function(nameof(RouteOrderActivity))]
    public static Task<IReadOnlyList<PlannedFulfillment>> RouteOrderActivity([ActivityTrigger] RouteOrderRequest input, string instanceId, FunctionContext context) =>
        RunAsync<RouteOrderActivity, RouteOrderRequest, IReadOnlyList<PlannedFulfillment>>(input, instanceId, context);

    [Function(nameof(BuyLabelActivity))]
    public static Task<LabelOutcome> BuyLabelActivity([ActivityTrigger] BuyLabelRequest input, string instanceId, FunctionContext context) =>
        RunAsync<BuyLabelActivity, BuyLabelRequest, LabelOutcome>(input, instanceId, context);

    [Function(nameof(DispatchFulfillmentActivity))]
    public static Task<string> DispatchFulfillmentActivity([ActivityTrigger] FulfillmentDispatch input, string instanceId, FunctionContext context) =>
        RunAsync<DispatchFulfillmentActivity, FulfillmentDispatch, string>(input, instanceId, context);

    [Function(nameof(RecordFulfillmentActivity))]
    public static Task<bool> RecordFulfillmentActivity([ActivityTrigger] FulfillmentUpdate input, string instanceId, FunctionContext context) =>
        RunAsync<RecordFulfillmentActivity, FulfillmentUpdate, bool>(input, instanceId, context);

    [Function(nameof(RecordPaymentEventActivity))]
    public static Task<bool> RecordPaymentEventActivity([ActivityTrigger] RecordPaymentEventRequest input, string instanceId, FunctionContext context) =>
        RunAsync<RecordPaymentEventActivity, RecordPaymentEventRequest, bool>(input, instanceId, context);

    [Function(nameof(CapturePaymentActivity))]
    public static Task<CaptureResult> CapturePaymentActivity([ActivityTrigger] CapturePaymentRequest input, string instanceId, FunctionContext context) =>
        RunAsync<CapturePaymentActivity, CapturePaymentRequest, CaptureResult>(input, instanceId, context);

    [Function(nameof(PostSaleActivity))]
    public static Task<string> PostSaleActivity([ActivityTrigger] SaleEntry input, string instanceId, FunctionContext context) =>
        RunAsync<PostSaleActivity, SaleEntry, string>(input, instanceId, context);

    [Function(nameof(UpdateOrderStatusActivity))]
    public static Task<bool> UpdateOrderStatusActivity([ActivityTrigger] StatusChange input, string instanceId, FunctionContext context) =>
        RunAsync<UpdateOrderStatusActivity, StatusChange, bool>(input, instanceId, context);

    [Function(nameof(LoadRecordedProgressActivity))]
    public static Task<RecordedProgress> LoadRecordedProgressActivity([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        RunAsync<LoadRecordedProgressActivity, string, RecordedProgress>(input, instanceId, context);

    [Function(nameof(UpdateShippingAddressActivity))]
    public static Task<bool> UpdateShippingAddressActivity([ActivityTrigger] ShippingAddressCorrection input, string instanceId, FunctionContext context) =>
        RunAsync<UpdateShippingAddressActivity, ShippingAddressCorrection, bool>(input, instanceId, context);

    [Function(nameof(OpenCaseActivity))]
    public static Task<bool> OpenCaseActivity([ActivityTrigger] OpenCaseRequest input, string instanceId, FunctionContext context) =>
        RunAsync<OpenCaseActivity, OpenCaseRequest, bool>(input, instanceId, context);

    [Function(nameof(SendCaseReminderActivity))]
    public static Task<bool> SendCaseReminderActivity([ActivityTrigger] CaseReminder input, string instanceId, FunctionContext context) =>
        RunAsync<SendCaseReminderActivity, CaseReminder, bool>(input, instanceId, context);

    [Function(nameof(RecordCaseTimeoutActivity))]
    public static Task<bool> RecordCaseTimeoutActivity([ActivityTrigger] CaseTimeout input, string instanceId, FunctionContext context) =>
        RunAsync<RecordCaseTimeoutActivity, CaseTimeout, bool>(input, instanceId, context);

    [Function(nameof(GetStockPoliciesActivity))]
    public static Task<IReadOnlyList<StockPolicy>> GetStockPoliciesActivity([ActivityTrigger] IReadOnlyList<string> input, string instanceId, FunctionContext context) =>
        RunAsync<GetStockPoliciesActivity, IReadOnlyList<string>, IReadOnlyList<StockPolicy>>(input, instanceId, context);

    [Function(nameof(NotifyLowStockActivity))]
    public static Task<bool> NotifyLowStockActivity([ActivityTrigger] LowStockAlert input, string instanceId, FunctionContext context) =>
        RunAsync<NotifyLowStockActivity, LowStockAlert, bool>(input, instanceId, context);
    [Function(nameof(ListOrdersToReconcileActivity))]
    public static Task<OrderBatch> ListOrdersToReconcileActivity([ActivityTrigger] OrderRange input, string instanceId, FunctionContext context) =>
        RunAsync<ListOrdersToReconcileActivity, OrderRange, OrderBatch>(input, instanceId, context);

    [Function(nameof(ReconcileOrderActivity))]
    public static Task<OrderReconciliation> ReconcileOrderActivity([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        RunAsync<ReconcileOrderActivity, string, OrderReconciliation>(input, instanceId, context);

    [Function(nameof(SaveReconciliationReportActivity))]
    public static Task<bool> SaveReconciliationReportActivity([ActivityTrigger] ReconciliationReport input, string instanceId, FunctionContext context) =>
        RunAsync<SaveReconciliationReportActivity, ReconciliationReport, bool>(input, instanceId, context);

    [Function(nameof(RecordReturnActivity))]
    public static Task<bool> RecordReturnActivity([ActivityTrigger] ReturnWorkflowInput input, string instanceId, FunctionContext context) =>
        RunAsync<RecordReturnActivity, ReturnWorkflowInput, bool>(input, instanceId, context);

    [Function(nameof(AuthorizeReturnActivity))]
    public static Task<ReturnDecision> AuthorizeReturnActivity([ActivityTrigger] ReturnWorkflowInput input, string instanceId, FunctionContext context) =>
        RunAsync<AuthorizeReturnActivity, ReturnWorkflowInput, ReturnDecision>(input, instanceId, context);

    [Function(nameof(UpdateReturnActivity))]
    public static Task<bool> UpdateReturnActivity([ActivityTrigger] ReturnUpdate input, string instanceId, FunctionContext context) =>
        RunAsync<UpdateReturnActivity, ReturnUpdate, bool>(input, instanceId, context);

    [Function(nameof(RefundPaymentActivity))]
    public static Task<RefundResult> RefundPaymentActivity([ActivityTrigger] RefundPaymentRequest input, string instanceId, FunctionContext context) =>
        RunAsync<RefundPaymentActivity, RefundPaymentRequest, RefundResult>(input, instanceId, context);

    [Function(nameof(RecordCancellationActivity))]
    public static Task<bool> RecordCancellationActivity([ActivityTrigger] CancellationReport input, string instanceId, FunctionContext context) =>
        RunAsync<RecordCancellationActivity, CancellationReport, bool>(input, instanceId, context);
    [Function(nameof(PostRefundActivity))]
    public static Task<string> PostRefundActivity([ActivityTrigger] RefundEntry input, string instanceId, FunctionContext context) =>
        RunAsync<PostRefundActivity, RefundEntry, string>(input, instanceId, context);

    [Function(nameof(CancelAtLocationActivity))]
    public static Task<LocationCancelAnswer> CancelAtLocationActivity([ActivityTrigger] FulfillmentCancellation input, string instanceId, FunctionContext context) =>
        RunAsync<CancelAtLocationActivity, FulfillmentCancellation, LocationCancelAnswer>(input, instanceId, context);

    [Function(nameof(VoidLabelActivity))]
    public static Task<LabelVoidResult> VoidLabelActivity([ActivityTrigger] LabelVoidRequest input, string instanceId, FunctionContext context) =>
        RunAsync<VoidLabelActivity, LabelVoidRequest, LabelVoidResult>(input, instanceId, context);

    /// <summary>The one pattern every activity trigger applies.</summary>
    /// <param name="client">For an activity that reads entities: the trigger's <c>[DurableClient]</c>, handed to the
    /// invocation's <see cref="InvocationEntityStateReader"/>.</param>
    internal static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, string instanceId, FunctionContext context, DurableTaskClient? client = null)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = context.InstanceServices.GetRequiredService<TActivity>();
        if (client is not null)
        {
            context.InstanceServices.GetRequiredService<InvocationEntityStateReader>().Client = client;
        }

        return activity.RunAsync(new FunctionActivityContext(context.FunctionDefinition.Name, instanceId), input);
    }
}
