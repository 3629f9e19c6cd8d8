namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>How a recalled fulfillment ended: stopped, already shipped (treated as shipped), or not confirmed (a case is open).</summary>
internal enum RecallOutcome
{
    Cancelled,
    Shipped,
    Unconfirmed,
}
