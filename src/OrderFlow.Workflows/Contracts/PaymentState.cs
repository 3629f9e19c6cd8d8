namespace OrderFlow.Workflows.Contracts;

/// <summary>Payment state as the workflow needs it, mapped from the provider.</summary>
public enum PaymentState
{
    Succeeded,
    RequiresCapture,
    Failed,
}
