using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// One orchestration trigger per orchestrator in <see cref="Workflows.WorkflowRegistry"/>, named after its class and
/// delegating to it (the Durable source generator that would emit these is not available here). The input comes in as
/// a bound parameter rather than <c>context.GetInput&lt;T&gt;()</c> (DURABLE0009 is an error in this repository).
/// </summary>
public static class OrchestratorTriggers
{
    [Function(nameof(OrderOrchestrator))]
    public static Task<OrderOutcome> OrderOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, OrderWorkflowInput input) =>
        new Workflows.Orchestrators.OrderOrchestrator().RunAsync(context, input);

    [Function(nameof(StockAdjustmentOrchestrator))]
    public static Task<StockView> StockAdjustmentOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, StockAdjustment input) =>
        new Workflows.Orchestrators.StockAdjustmentOrchestrator().RunAsync(context, input);

    [Function(nameof(ReleaseReservationOrchestrator))]
    public static Task<StockRelease> ReleaseReservationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, ReleaseReservation input) =>
        new Workflows.Orchestrators.ReleaseReservationOrchestrator().RunAsync(context, input);

    [Function(nameof(StockRebalanceOrchestrator))]
    public static Task<int> StockRebalanceOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, StockRebalance input) =>
        new Workflows.Orchestrators.StockRebalanceOrchestrator().RunAsync(context, input);

    [Function(nameof(SplitStockCheckOrchestrator))]
    public static Task<Domain.Inventory.LowStockAlert?> SplitStockCheckOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, SplitStockCheck input) =>
        new Workflows.Orchestrators.SplitStockCheckOrchestrator().RunAsync(context, input);

    [Function(nameof(StockRepairOrchestrator))]
    public static Task<StockView> StockRepairOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, StockRepair input) =>
        new Workflows.Orchestrators.StockRepairOrchestrator().RunAsync(context, input);

    [Function(nameof(StockQueryOrchestrator))]
    public static Task<StockView> StockQueryOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, string sku) =>
        new Workflows.Orchestrators.StockQueryOrchestrator().RunAsync(context, sku);

    [Function(nameof(ReconciliationOrchestrator))]
    public static Task<ReconciliationSummary> ReconciliationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, ReconciliationRequest input) =>
        new Workflows.Orchestrators.ReconciliationOrchestrator().RunAsync(context, input);

    [Function(nameof(ReturnOrchestrator))]
    public static Task<ReturnOutcome> ReturnOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, ReturnWorkflowInput input) =>
        new Workflows.Orchestrators.ReturnOrchestrator().RunAsync(context, input);

    [Function(nameof(RefundOrchestrator))]
    public static Task<RefundOutcome> RefundOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, RefundWorkflowInput input) =>
        new Workflows.Orchestrators.RefundOrchestrator().RunAsync(context, input);

    [Function(nameof(FulfillmentOrchestrator))]
    public static Task<FulfillmentOutcome> FulfillmentOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, FulfillmentWorkflowInput input) =>
        new Workflows.Orchestrators.FulfillmentOrchestrator().RunAsync(context, input);
}
