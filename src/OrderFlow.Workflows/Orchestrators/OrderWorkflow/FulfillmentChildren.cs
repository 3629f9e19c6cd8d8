using Microsoft.DurableTask;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Revision <see cref="OrderWorkflowVersions.FulfillmentAsChild"/> (from <see cref="OrderWorkflowVersions.SingleParcelInline"/>
/// only for an order routed into two or more parcels, <see cref="OrderState.ParcelsAsChildren"/>), the order's side of a
/// parcel: starts its Fulfillment
/// child (<see cref="FulfillmentOrchestrator"/>, instance id "{order run}:{fulfillment id}") and, until it ends, keeps what
/// is the order's: cancellation requests are applied as during any wait, the location's confirmations and decisions on the
/// child's cases raised to the order are forwarded to the child, the child's holds set the order's status and hold emails, its questions are answered (the
/// payment checkpoint before the hand-off, re-routing with the order's fulfillment numbers), and a stop or a cancellation
/// of the order is sent on to it. Then the child's outcome is applied to the order's progress.
/// </summary>
internal sealed class FulfillmentChildren(
    TaskOrchestrationContext context, OrderState state, OrderSteps steps, CancellationInbox cancellations, PaymentGate payments, FulfillmentWaves waves)
{
    /// <summary>Events served per child: its notices (a few per case round), confirmations, cancellation requests.</summary>
    private const int MaxServedEvents = 50 * DurableCalls.MaxRounds;

    /// <summary>Runs <paramref name="plan"/> in its child; returns what shipped and the fulfillments its units were re-routed to (not started yet).</summary>
    public async Task<(List<PlannedFulfillment> Shipped, IReadOnlyList<PlannedFulfillment> Rerouted)> RunAsync(PlannedFulfillment plan, int depth)
    {
        if (state.CancelSignal.Task.IsCompleted)
        {
            // As a step would: a person cancelled the order from another parcel, so this one does not start.
            throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
        }

        var runId = state.Input.RunId;
        var childId = FulfillmentWorkflowInput.InstanceIdFor(runId, plan.FulfillmentId);
        var input = new FulfillmentWorkflowInput(
            state.OrderId,
            context.InstanceId,
            FulfillmentWorkflowInput.CaseIdPrefixFor(runId, state.OrderId, plan.FulfillmentId),
            plan,
            depth,
            state.Order.Currency,
            plan.Lines.Select(l => l.Sku).Distinct(StringComparer.Ordinal).ToDictionary(sku => sku, state.StockKey, StringComparer.Ordinal),
            state.Input.Revision,
            state.Input.Settings);
        var rerouted = new List<PlannedFulfillment>();
        var child = context.CallSubOrchestratorAsync<FulfillmentOutcome>(nameof(FulfillmentOrchestrator), input, new SubOrchestrationOptions(instanceId: childId));
        var (outcome, unwinding) = await this.SuperviseAsync(child, childId, plan, rerouted);

        var shipped = this.Apply(plan, outcome);
        if (unwinding is not null || outcome.Cancelled is not null)
        {
            // The order is cancelled: a parcel the child found had left anyway is settled as shipped.
            state.LateShipped.AddRange(shipped);
            throw unwinding ?? state.Cancel(outcome.Cancelled!, outcome.CancelReasonCode);
        }

        return (shipped, rerouted);
    }

    /// <summary>
    /// What the parcel's plan became replaces it in the order's plans (in place); the child's unshipped remainders are
    /// added. Returns the part that shipped, if any.
    /// </summary>
    private List<PlannedFulfillment> Apply(PlannedFulfillment plan, FulfillmentOutcome outcome)
    {
        var all = state.Progress.AllPlans;
        var index = all.FindIndex(p => p.FulfillmentId == plan.FulfillmentId);
        if (index >= 0)
        {
            all.RemoveAt(index);
            all.InsertRange(index, outcome.Plans.Where(p => p.FulfillmentId == plan.FulfillmentId));
        }

        all.AddRange(outcome.Plans.Where(p => p.FulfillmentId != plan.FulfillmentId));
        if (outcome.Shipped is not { } shipped)
        {
            return [];
        }

        // The very plan now in the order's plans: settlement tells shipped from unshipped plans by equality, and a
        // plan's lines compare by reference.
        state.Progress.AnyShipped = true;
        return [outcome.Plans.FirstOrDefault(p => p.FulfillmentId == shipped.FulfillmentId) ?? shipped];
    }

    /// <summary>
    /// Waits for the child to end while serving it (see the class summary). Returns its outcome once every notice it sent
    /// was taken, and the cancellation of the order that came meanwhile (the child was told to stop at once), if any.
    /// </summary>
    private async Task<(FulfillmentOutcome Outcome, StepCancelledException? Unwinding)> SuperviseAsync(
        Task<FulfillmentOutcome> child, string childId, PlannedFulfillment plan, List<PlannedFulfillment> rerouted)
    {
        var fulfillmentId = plan.FulfillmentId;
        using var cts = new CancellationTokenSource();
        var notice = context.WaitForExternalEvent<FulfillmentNotice>(FulfillmentNotice.EventName(fulfillmentId), cts.Token);
        var confirmation = context.WaitForExternalEvent<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(fulfillmentId), cts.Token);
        // Decisions on the child's cases raised to the order (the child's own id is the case's workflow id; a raiser that
        // only knows the order reaches the child too), forwarded like the confirmations.
        var decisions = new Dictionary<string, Task<CaseDecision>>(StringComparer.Ordinal);
        StepCancelledException? unwinding = null;
        var told = 0; // 1: stopped (a cancellation after a shipment), 2: told to stop at once (the order is cancelled)
        var taken = 0;
        try
        {
            // Each round takes one event; past the bound (a child never asks that much) the order simply awaits the child.
            for (var round = 0; round < MaxServedEvents; round++)
            {
                var unwind = unwinding is not null || state.CancelSignal.Task.IsCompleted;
                if (unwind && told < 2)
                {
                    context.SendEvent(childId, FulfillmentStop.EventName, new FulfillmentStop(Unwind: true, TooLate: state.Cancellation is not null));
                    told = 2;
                }
                else if (!unwind && told < 1 && state.StopSignal.Task.IsCompleted)
                {
                    context.SendEvent(childId, FulfillmentStop.EventName, new FulfillmentStop(Unwind: false, TooLate: state.Cancellation is not null));
                    told = 1;
                }

                var candidates = new List<Task> { child, notice, confirmation };
                candidates.AddRange(decisions.Values);
                var cancelRequest = unwind || state.Cancelling ? null : cancellations.Next;
                if (cancelRequest is not null)
                {
                    candidates.Add(cancelRequest);
                }

                if (told < 2)
                {
                    candidates.Add(state.CancelSignal.Task);
                }

                if (told < 1)
                {
                    candidates.Add(state.StopSignal.Task);
                }

                var winner = await Task.WhenAny(candidates);
                if (winner == child)
                {
                    break;
                }

                if (winner == confirmation)
                {
                    // Raised to the order (every raiser does so): the child is the one waiting for it.
                    context.SendEvent(childId, FulfillmentConfirmation.EventName(fulfillmentId), await confirmation);
                    confirmation = context.WaitForExternalEvent<FulfillmentConfirmation>(FulfillmentConfirmation.EventName(fulfillmentId), cts.Token);
                }
                else if (winner == notice)
                {
                    taken++;
                    var next = await notice;
                    notice = context.WaitForExternalEvent<FulfillmentNotice>(FulfillmentNotice.EventName(fulfillmentId), cts.Token);
                    if (next is { Kind: FulfillmentNotice.Held, CaseId: { } caseId })
                    {
                        decisions[caseId] = context.WaitForExternalEvent<CaseDecision>(CaseDecision.EventName(caseId), cts.Token);
                    }

                    unwinding ??= await this.TakeAsync(next, childId, plan, rerouted, unwind);
                }
                else if (decisions.FirstOrDefault(d => d.Value == winner) is { Key: { } decided } forwarded)
                {
                    decisions.Remove(decided);
                    context.SendEvent(childId, CaseDecision.EventName(decided), await forwarded.Value);
                }
                else if (winner == cancelRequest)
                {
                    unwinding ??= await Caught(cancellations.CheckAsync($"wait-{FulfillmentConfirmation.EventName(fulfillmentId)}"));
                }
            }

            // A child that failed fails the order, as the step would have in the order workflow.
            var outcome = await child;
            while (taken < outcome.Notices)
            {
                taken++;
                var next = await notice;
                notice = context.WaitForExternalEvent<FulfillmentNotice>(FulfillmentNotice.EventName(fulfillmentId), cts.Token);
                unwinding ??= await this.TakeAsync(next, childId, plan, rerouted, unwinding is not null || state.CancelSignal.Task.IsCompleted);
            }

            return (outcome, unwinding);
        }
        finally
        {
            // Synchronous Cancel on purpose (see CancellationInbox.WaitAsync).
            cts.Cancel();
        }
    }

    /// <summary>Acts on a notice of the child; returns the cancellation of the order it led to, if any.</summary>
    private async Task<StepCancelledException?> TakeAsync(FulfillmentNotice notice, string childId, PlannedFulfillment plan, List<PlannedFulfillment> rerouted, bool unwinding)
    {
        switch (notice.Kind)
        {
            case FulfillmentNotice.Shipping:
                state.Progress.AnyShipped = true;
                return null;
            case FulfillmentNotice.Held:
                state.OpenCases++;
                if (!unwinding)
                {
                    await steps.HoldAsync(notice.Reason!.Value, notice.CaseId!);
                }

                return null;
            case FulfillmentNotice.Resolved when unwinding:
                state.OpenCases--;
                return null;
            case FulfillmentNotice.Resolved:
                await steps.ResumeAsync(notice.CaseId!, notice.Resolution!.Value, notice.OrderGoesOn);
                return null;
            case FulfillmentNotice.Dispatch when !unwinding:
                return await Caught(this.AnswerDispatchAsync(childId, plan));
            case FulfillmentNotice.Reroute when !unwinding:
                return await Caught(this.AnswerRerouteAsync(childId, plan, notice.Lines ?? [], rerouted));
            default:
                // A question while the order is cancelled: the child was told to stop and waits for no answer.
                return null;
        }
    }

    private async Task AnswerDispatchAsync(string childId, PlannedFulfillment plan)
    {
        await payments.CheckAsync($"dispatch-{plan.FulfillmentId}");
        context.SendEvent(childId, FulfillmentReply.EventName, new FulfillmentReply([], []));
    }

    private async Task AnswerRerouteAsync(string childId, PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines, List<PlannedFulfillment> rerouted)
    {
        var (plans, unmoved) = await waves.RerouteAsync(plan, lines);
        rerouted.AddRange(plans);
        context.SendEvent(childId, FulfillmentReply.EventName, new FulfillmentReply(plans, unmoved));
    }

    private static async Task<StepCancelledException?> Caught(Task work)
    {
        try
        {
            await work;
            return null;
        }
        catch (StepCancelledException ex)
        {
            return ex;
        }
    }
}
