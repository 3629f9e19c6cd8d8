namespace OrderFlow.Domain.Returns;

/// <summary>
/// The state of one returned unit when the location opened the parcel. Workflow history stores these as numbers:
/// append new values at the end.
/// </summary>
public enum UnitCondition
{
    /// <summary>Back on the shelf: restocked at the receiving location and refunded.</summary>
    Resellable,

    /// <summary>Arrived but cannot be sold again: written off, refunded.</summary>
    Damaged,

    /// <summary>Announced but not in the parcel: neither restocked nor refunded.</summary>
    Missing,
}
