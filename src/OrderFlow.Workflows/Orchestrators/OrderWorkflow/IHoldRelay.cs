using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Where a Fulfillment child's holds go: its cases are its own, but the order's status (OnHold, back to its phase when
/// the last case is decided) and the customer's hold emails are the order's, kept by the order workflow.
/// </summary>
internal interface IHoldRelay
{
    /// <summary>A case was opened and holds the parcel.</summary>
    Task HeldAsync(ExceptionReason reason, string caseId);

    /// <summary>The case was decided (<paramref name="orderGoesOn"/>: the order itself is not cancelled by it).</summary>
    Task ResolvedAsync(string caseId, CaseResolution resolution, bool orderGoesOn);
}
