namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts one order workflow. Carries ids, not customer data: activities load PII from the store when they need it.
/// </summary>
public sealed record OrderWorkflowInput(string OrderId, string Source, string DeliveryId, OrderWorkflowSettings Settings);
