namespace OrderFlow.Workflows.Contracts;

/// <summary>What one retention pass over the delivery store did.</summary>
public sealed record DeliveryPurgeResult(int PayloadsCleared, int RejectedDeleted);
