using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Cases;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Cases;

/// <summary>
/// The one path by which a person's decision reaches a case and its workflow (approval page and operator API alike):
/// record it on the open case first (the first decision wins), then raise <see cref="CaseDecision"/> to the order's
/// workflow. An event sent to an ended instance is dropped silently, so that case is detected and recorded instead.
/// </summary>
public sealed class CaseDecisionService(ICaseDecisionStore decisions, TimeProvider clock)
{
    public async Task<CaseDecisionOutcome> DecideAsync(
        ExceptionCase exceptionCase, CaseResolution resolution, string decidedBy, string? comment, IWorkflowClient workflows, CancellationToken cancellationToken,
        Address? correctedAddress = null)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        var c = exceptionCase;
        if (!c.AllowedResolutions.Contains(resolution))
        {
            return CaseDecisionOutcome.NotAllowed;
        }

        // CorrectAddress carries the address the workflow stores; without a complete one there is nothing to apply.
        if (resolution == CaseResolution.CorrectAddress && !IsComplete(correctedAddress))
        {
            return CaseDecisionOutcome.AddressRequired;
        }

        var address = resolution == CaseResolution.CorrectAddress ? correctedAddress : null;

        if (!c.IsOpen)
        {
            return CaseDecisionOutcome.NotOpen;
        }

        // The workflow stopped waiting at the deadline and applied the default; a late event would be ignored.
        if (clock.GetUtcNow() >= c.Deadline)
        {
            return CaseDecisionOutcome.DeadlinePassed;
        }

        var status = await workflows.GetStatusAsync(c.InstanceId, cancellationToken);
        if (status is null || status.IsTerminal)
        {
            return await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.WorkflowEnded, cancellationToken)
                ? CaseDecisionOutcome.WorkflowEnded
                : CaseDecisionOutcome.NotOpen;
        }

        if (!await decisions.TryRecordDecisionAsync(c.CaseId, resolution, decidedBy, comment, CaseStatuses.Resolved, cancellationToken))
        {
            return CaseDecisionOutcome.NotOpen;
        }

        await workflows.RaiseEventAsync(c.InstanceId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, resolution, decidedBy, comment, address), cancellationToken);
        return CaseDecisionOutcome.Resolved;
    }

    /// <summary>The fields a shipping address cannot do without; the workflow's validation checks the rest.</summary>
    public static bool IsComplete(Address? address) =>
        address is not null
        && !string.IsNullOrWhiteSpace(address.Name)
        && !string.IsNullOrWhiteSpace(address.Line1)
        && !string.IsNullOrWhiteSpace(address.City)
        && !string.IsNullOrWhiteSpace(address.PostalCode)
        && !string.IsNullOrWhiteSpace(address.CountryCode);

    /// <summary>The refusal text for <see cref="CaseDecisionOutcome.AddressRequired"/>.</summary>
    public const string AddressRequiredMessage =
        "'CorrectAddress' needs the corrected address: name, line1, city, postalCode and countryCode are required (line2, province, phone optional).";
}
