using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Input of <c>PlanReservationActivity</c> (order revision <see cref="OrderWorkflowVersions.ReservationPlannedInOneStep"/>).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Skus">Every SKU of the order, sorted: whose out-of-stock policies are read.</param>
/// <param name="Wanted">Units per SKU the order still wants (after lines cancelled early); the SKUs among them that are not
/// digital are read and routed.</param>
/// <param name="Policies">The policies an earlier attempt of the order read (kept for the order's life, as before); null
/// on its first attempt, which reads them.</param>
public sealed record PlanReservationRequest(
    string OrderId,
    IReadOnlyList<string> Skus,
    IReadOnlyDictionary<string, int> Wanted,
    IReadOnlyList<StockPolicy>? Policies = null);

/// <summary>
/// What one reservation attempt needs before its entity calls: the SKUs' policies, their stock as read (per SKU, from
/// the entity the order reads it from; without reservation and backorder lists, which routing does not use) and the
/// routing decision (null when nothing needs stock).
/// </summary>
public sealed record ReservationPlan(IReadOnlyList<StockPolicy> Policies, IReadOnlyList<StockView> Stock, AllocationDecision? Decision);
