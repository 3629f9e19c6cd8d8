namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>GET /api/orders/{orderId}.</summary>
public sealed record OrderResponse(
    string OrderId,
    string? OrderNumber,
    string Status,
    string? Currency,
    MoneyResponse? Total,
    IReadOnlyList<OrderLineResponse> Lines,
    IReadOnlyList<FulfillmentResponse> Fulfillments,
    IReadOnlyList<TimelineResponse> Timeline,
    WorkflowResponse? Workflow);
