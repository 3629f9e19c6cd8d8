using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>The outcome of a capture.</summary>
public sealed record CaptureResult(bool Captured, Money Amount, string? ProviderReference, string? FailureReason);
