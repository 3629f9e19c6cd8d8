using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Revision <see cref="OrderWorkflowVersions.CancellationReachesLocation"/>: a fulfillment dropped after its hand-off is
/// recalled. The location is told to cancel it (its answer: cancelled, already shipped, or pending until it confirms
/// through the signed fulfillment callback, awaited up to Workflow:LocationCancelTimeout), and a label that will not be
/// used is voided through the carrier. Neither ever fails the workflow: a location that cannot be reached or does not
/// confirm in time opens a LocationCancelUnconfirmed case (the label is kept: the parcel may still move), a refused
/// void a LabelVoidRejected case (the label cost is still charged).
/// </summary>
internal sealed class LocationRecall(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    private string OrderId => state.OrderId;

    /// <summary>The order workflow's instance id, which the keys derive from (also inside a Fulfillment child).</summary>
    private string KeyId => state.KeyInstanceId ?? context.InstanceId;

    /// <summary>
    /// Recalls <paramref name="plan"/>: tells its location (unless <paramref name="tellLocation"/> is false: it refused
    /// the fulfillment itself), then voids the label when nothing left. Returns the outcome and, when the location had
    /// already shipped, the lines that left.
    /// </summary>
    public async Task<(RecallOutcome Outcome, IReadOnlyList<FulfillmentLine> ShippedLines)> RecallAsync(
        PlannedFulfillment plan, ShippingLabel label, bool tellLocation, string reason)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(label);
        var (outcome, shippedLines) = tellLocation ? await this.TellLocationAsync(plan, label, reason) : (RecallOutcome.Cancelled, []);
        if (outcome == RecallOutcome.Cancelled)
        {
            await this.VoidLabelAsync(plan, label);
        }

        return (outcome, shippedLines);
    }

    private async Task<(RecallOutcome, IReadOnlyList<FulfillmentLine>)> TellLocationAsync(PlannedFulfillment plan, ShippingLabel label, string reason)
    {
        LocationCancelAnswer answer;
        try
        {
            answer = await steps.RawStepAsync<LocationCancelAnswer>(nameof(CancelAtLocationActivity), new FulfillmentCancellation(
                OrderId, plan.FulfillmentId, plan.Location, plan.Lines, label.TrackingNumber, reason,
                OrderIds.IdempotencyKey(this.KeyId, $"cancel-{plan.FulfillmentId}")));
        }
        catch (TaskFailedException ex)
        {
            await this.UnconfirmedAsync(plan, label, $"{plan.Location} could not be told to cancel {plan.FulfillmentId}: {ex.FailureDetails?.ErrorMessage ?? ex.Message}");
            return (RecallOutcome.Unconfirmed, []);
        }

        if (answer.Outcome == LocationCancelAnswer.Cancelled)
        {
            return (RecallOutcome.Cancelled, []);
        }

        if (answer.Outcome == LocationCancelAnswer.AlreadyShipped)
        {
            return (RecallOutcome.Shipped, plan.Lines);
        }

        // Queue and email: the location confirms through the signed fulfillment callback ("cancelled", or "shipped"
        // when the parcel had left). A cancellation request or a person's cancel meanwhile changes nothing here.
        var timeout = state.Input.Settings.LocationCancelTimeout;
        var confirmation = await steps.Calls.WaitAsync<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(plan.FulfillmentId), timeout);
        switch (confirmation?.Status)
        {
            case FulfillmentConfirmation.Cancelled or FulfillmentConfirmation.Rejected:
                return (RecallOutcome.Cancelled, []);
            case FulfillmentConfirmation.Shipped:
                return (RecallOutcome.Shipped, plan.Lines);
            case FulfillmentConfirmation.Short when confirmation.ShortLines is { Count: > 0 } shortLines:
                var packed = plan.Lines
                    .Select(l => l with { Quantity = l.Quantity - shortLines.Where(s => s.Sku == l.Sku).Sum(s => s.Quantity) })
                    .Where(l => l.Quantity > 0)
                    .ToList();
                return packed.Count > 0 ? (RecallOutcome.Shipped, packed) : (RecallOutcome.Cancelled, []);
            case null:
                await this.UnconfirmedAsync(plan, label, $"{plan.Location} was told to cancel {plan.FulfillmentId} but did not confirm within {timeout}.");
                return (RecallOutcome.Unconfirmed, []);
            default:
                await this.UnconfirmedAsync(plan, label, $"{plan.Location} answered {confirmation.Status} when told to cancel {plan.FulfillmentId}.");
                return (RecallOutcome.Unconfirmed, []);
        }
    }

    /// <summary>Voids the label; a refusal (or an error past the retries) opens a LabelVoidRejected case and the order goes on.</summary>
    private async Task VoidLabelAsync(PlannedFulfillment plan, ShippingLabel label)
    {
        string problem;
        try
        {
            var result = await steps.RawStepAsync<LabelVoidResult>(nameof(VoidLabelActivity), new LabelVoidRequest(
                OrderId, plan.FulfillmentId, label.TrackingNumber, OrderIds.IdempotencyKey(this.KeyId, $"void-label-{plan.FulfillmentId}")));
            if (result.Voided)
            {
                return;
            }

            problem = $"the carrier answered {result.Status}{(string.IsNullOrWhiteSpace(result.Detail) ? string.Empty : ": " + result.Detail)}";
        }
        catch (TaskFailedException ex)
        {
            problem = $"the void failed: {ex.FailureDetails?.ErrorMessage ?? ex.Message}";
        }

        await steps.Desk.OpenAsync(
            ExceptionReason.LabelVoidRejected, $"void-label-{plan.FulfillmentId}", "void-label",
            $"Label {label.TrackingNumber} ({label.Carrier} {label.Service}, {label.Cost}) of {plan.FulfillmentId} at {plan.Location} will not be used, "
            + $"but {problem}. Its cost is still charged: claim it from the carrier, then acknowledge.");
    }

    private Task<string> UnconfirmedAsync(PlannedFulfillment plan, ShippingLabel label, string what) =>
        steps.Desk.OpenAsync(
            ExceptionReason.LocationCancelUnconfirmed, $"cancel-{plan.FulfillmentId}", "cancel-at-location",
            $"{what} The fulfillment is treated as not shipped (not charged) and its label {label.TrackingNumber} is kept, since the parcel may still move. "
            + "Ask the location: if it shipped, bill or recover the goods; if it stopped, void the label with the carrier. Then acknowledge.");
}
