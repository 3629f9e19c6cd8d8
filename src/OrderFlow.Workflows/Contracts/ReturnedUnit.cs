using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>One unit as the receiving location found it.</summary>
public sealed record ReturnedUnit(string Sku, UnitCondition Condition);
