namespace OrderFlow.Workflows.Activities;

/// <summary>Input of <see cref="AssessFraudActivity"/>.</summary>
public sealed record AssessFraudRequest(string OrderId, string? ProviderRiskLevel);
