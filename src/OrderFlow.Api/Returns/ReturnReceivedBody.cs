using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Api.Returns;

/// <summary>Body of the signed POST /api/returns/{returnId}/received: the receiving location and each unit's condition.</summary>
public sealed record ReturnReceivedBody(string? Location, IReadOnlyList<ReturnedUnit>? Units);
