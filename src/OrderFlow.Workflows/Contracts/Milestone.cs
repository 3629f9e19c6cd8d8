namespace OrderFlow.Workflows.Contracts;

/// <summary>Moments the customer hears about.</summary>
public enum Milestone
{
    OrderConfirmed,
    Shipped,
    OnHold,
    Cancelled,
}
