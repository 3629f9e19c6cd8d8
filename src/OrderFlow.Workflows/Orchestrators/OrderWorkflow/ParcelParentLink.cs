using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// A Fulfillment child's side of its order workflow (<see cref="FulfillmentChildren"/> is the other): notices go to the
/// order as events (<see cref="FulfillmentNotice"/>; questions wait for its <see cref="FulfillmentReply"/>), and the order's
/// stops (<see cref="FulfillmentStop"/>) are taken where the order workflow took its own signals: a stop ends a wait for the
/// location's answer, a stop at once ends every wait and step.
/// </summary>
internal sealed class ParcelParentLink(TaskOrchestrationContext context, FulfillmentWorkflowInput input, OrderState state) : IParcelHost, IHoldRelay
{
    private Task<FulfillmentStop> nextStop = context.WaitForExternalEvent<FulfillmentStop>(FulfillmentStop.EventName);
    private bool stopped;
    private bool unwind;
    private bool tooLate;

    /// <summary>How many notices this child sent its order.</summary>
    public int Notices { get; private set; }

    public bool Stopped
    {
        get
        {
            this.TakeStops();
            return this.stopped;
        }
    }

    public bool CancellationRequested
    {
        get
        {
            this.TakeStops();
            return this.tooLate;
        }
    }

    /// <summary>True once the order said to stop at once (it is being cancelled).</summary>
    public bool Unwinding
    {
        get
        {
            this.TakeStops();
            return this.unwind;
        }
    }

    public async Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout, bool stoppable)
        where T : class
    {
        using var cts = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), cts.Token);
        var evt = context.WaitForExternalEvent<T>(eventName, cts.Token);
        try
        {
            // Each round takes one stop; the order sends two at most.
            for (var round = 0; round < DurableCalls.MaxRounds; round++)
            {
                this.ThrowIfUnwinding();
                var candidates = new List<Task> { evt, deadline };
                if (!state.Cancelling)
                {
                    if (stoppable && this.stopped)
                    {
                        return evt.IsCompletedSuccessfully ? await evt : null;
                    }

                    candidates.Add(this.nextStop);
                }

                var winner = await Task.WhenAny(candidates);
                if (winner == this.nextStop)
                {
                    continue;
                }

                return winner == evt ? await evt : null;
            }

            return null;
        }
        finally
        {
            // Synchronous Cancel on purpose (see CancellationInbox.WaitAsync).
            cts.Cancel();
        }
    }

    public async Task CheckPaymentAsync(string step) => await this.AskAsync(new FulfillmentNotice(FulfillmentNotice.Dispatch));

    public async Task<(IReadOnlyList<PlannedFulfillment> Plans, IReadOnlyList<FulfillmentLine> Unmoved)> RerouteAsync(PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines)
    {
        var reply = await this.AskAsync(new FulfillmentNotice(FulfillmentNotice.Reroute, Lines: lines));
        return (reply.Plans, reply.Unmoved);
    }

    public void Shipping() => this.Tell(new FulfillmentNotice(FulfillmentNotice.Shipping));

    public Task HeldAsync(ExceptionReason reason, string caseId)
    {
        this.Tell(new FulfillmentNotice(FulfillmentNotice.Held, caseId, reason));
        return Task.CompletedTask;
    }

    public Task ResolvedAsync(string caseId, CaseResolution resolution, bool orderGoesOn)
    {
        this.Tell(new FulfillmentNotice(FulfillmentNotice.Resolved, caseId, Resolution: resolution, OrderGoesOn: orderGoesOn));
        return Task.CompletedTask;
    }

    private void Tell(FulfillmentNotice notice)
    {
        context.SendEvent(input.OrderInstanceId, FulfillmentNotice.EventName(input.Plan.FulfillmentId), notice);
        this.Notices++;
    }

    /// <summary>Asks the order and waits for its answer; a stop at once ends the wait (the order answers no more).</summary>
    private async Task<FulfillmentReply> AskAsync(FulfillmentNotice question)
    {
        this.Tell(question);
        using var cts = new CancellationTokenSource();
        var reply = context.WaitForExternalEvent<FulfillmentReply>(FulfillmentReply.EventName, cts.Token);
        try
        {
            for (var round = 0; round <= DurableCalls.MaxRounds; round++)
            {
                this.ThrowIfUnwinding();
                if (await Task.WhenAny(reply, this.nextStop) == reply)
                {
                    return await reply;
                }
            }

            this.ThrowIfUnwinding();
            return await reply;
        }
        finally
        {
            cts.Cancel();
        }
    }

    private void ThrowIfUnwinding()
    {
        this.TakeStops();
        if (this.unwind && !state.Cancelling)
        {
            throw new StepCancelledException("Cancelled: a step failed and a person cancelled the order.");
        }
    }

    /// <summary>Takes the stops that have arrived (history order, so replay-safe) and waits for the next.</summary>
    private void TakeStops()
    {
        while (this.nextStop.IsCompletedSuccessfully)
        {
            var stop = this.nextStop.Result;
            this.stopped = true;
            this.unwind |= stop.Unwind;
            this.tooLate |= stop.TooLate;
            this.nextStop = context.WaitForExternalEvent<FulfillmentStop>(FulfillmentStop.EventName);
        }
    }
}
