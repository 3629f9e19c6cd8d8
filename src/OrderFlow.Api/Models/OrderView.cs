namespace OrderFlow.Api.Models;

/// <summary>GET /api/orders/{orderId}: status, lines, fulfillments with tracking, and the timeline. No customer PII.</summary>
public sealed record OrderView(
    string OrderId,
    string? OrderNumber,
    string Status,
    string? Currency,
    MoneyView? Total,
    IReadOnlyList<OrderLineView> Lines,
    IReadOnlyList<FulfillmentView> Fulfillments,
    IReadOnlyList<TimelineView> Timeline,
    WorkflowView? Workflow);
