using System.Globalization;
using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// The order's money once goods ship: auth-then-capture per shipped parcel, refunds (of what did not ship, or of the
/// whole order on cancellation), and the sale booked in accounting. The maths is <see cref="OrderSettlement"/>.
/// </summary>
internal sealed class Settlement(TaskOrchestrationContext context, OrderState state, OrderSteps steps, CancellationInbox cancellations)
{
    private string OrderId => state.OrderId;

    /// <summary>
    /// Completes the money side: what did not ship (unconfirmed fulfillments, cancelled lines) is neither captured nor
    /// booked, and its share of the tax is withheld; paid up front, it is refunded. Substitutes are charged at the
    /// ordered item's price. Then the unshipped holds are released and the sale is posted. Returns the unshipped plans.
    /// </summary>
    public async Task<IReadOnlyList<PlannedFulfillment>> SettleAsync(PaymentVerification payment, List<PlannedFulfillment> shipped) =>
        await this.SettleAsync(payment, shipped, null);

    /// <summary>
    /// Settles what shipped (<see cref="SettleAsync(PaymentVerification, List{PlannedFulfillment})"/>) and sets the final
    /// status <paramref name="final"/> gives for the unshipped plans. From <see cref="OrderWorkflowVersions.StatusWithStep"/>
    /// the sale's posting carries it (no separate status activity); the workflow tracks it once the sale is posted.
    /// </summary>
    public async Task<(OrderStatus Status, string Summary)> CompleteAsync(
        PaymentVerification payment, List<PlannedFulfillment> shipped, Func<IReadOnlyList<PlannedFulfillment>, (OrderStatus Status, string Summary)> final)
    {
        ArgumentNullException.ThrowIfNull(final);
        if (!state.Input.Runs(OrderWorkflowVersions.StatusWithStep))
        {
            var settled = final(await this.SettleAsync(payment, shipped));
            await steps.SetStatusAsync(settled.Status, settled.Summary);
            return settled;
        }

        StatusChange? carried = null;
        await this.SettleAsync(payment, shipped, unshipped =>
        {
            var (status, summary) = final(unshipped);
            return carried = steps.StatusChangeFor(status, summary);
        });
        steps.Track(carried!.Status);
        return (carried.Status, carried.Note);
    }

    /// <remarks>
    /// From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> the order's only capture carries the sale
    /// (<see cref="CapturePaymentRequest.Sale"/>) when nothing would run between the two: the capture is the one of this
    /// settlement and the order has taken none before (one shipped parcel, not the capture-once path), nothing is left
    /// unshipped (no remainder email, no holds to release) and, should the capture be accepted, no refund is due. All of it
    /// is known before the capture. The workflow then asks for no <c>PostSaleActivity</c>; a refused capture, or a
    /// posting that failed, leaves the sale to that step as before (same reference, which accounting books once).
    /// </remarks>
    private async Task<IReadOnlyList<PlannedFulfillment>> SettleAsync(
        PaymentVerification payment, List<PlannedFulfillment> shipped, Func<IReadOnlyList<PlannedFulfillment>, StatusChange>? then)
    {
        var progress = state.Progress;
        var money = state.Settlement;
        var t = state.Order.Totals;
        var unshippedPlans = progress.Unshipped(shipped);
        var notShipped = money.ValueOf(progress.NotShippedUnits(unshippedPlans));
        var withheld = money.Withheld(notShipped);
        SaleEntry Sale() => new(
            OrderId, state.Order.OrderNumber, money.BookedSubtotal(notShipped), money.BookedTax(notShipped), t.Shipping, t.Discount,
            OrderIds.IdempotencyKey(context.InstanceId, "accounting"), Then: then?.Invoke(unshippedPlans));
        var carry = state.Input.Runs(OrderWorkflowVersions.StepsCarriedTogether) && unshippedPlans.Count == 0
            ? captured => this.RefundDue(payment, progress.CapturedSoFar + captured, withheld).MinorUnits == 0 ? Sale() : null
            : (Func<Money, SaleEntry?>?)null;
        var salePosted = await this.CaptureAsync(payment, shipped, withheld, final: true, carry);
        RefundResult? refundedRemainder = null;

        // Paid up front: what will not ship goes back to the customer. Captured once for the whole order (no
        // multicapture): what was captured for goods that then did not ship goes back from that capture.
        var refund = this.RefundDue(payment, progress.CapturedSoFar, withheld);
        if (refund.MinorUnits > 0 && state.Cancellation is not { Refund: false })
        {
            refundedRemainder = await this.RefundAsync(refund, "not-shipped", "items that did not ship");
        }

        // Told of what will not ship: on a cancellation request that says so, or (from CustomerToldOfHolds) when a hold
        // the customer knew of ended with goods dropped, unless a cancellation request said not to tell.
        var tellNotShipped = state.Cancellation is { NotifyCustomer: true }
            || (state.ToldHoldDroppedGoods && state.Cancellation is null && state.Input.Runs(OrderWorkflowVersions.CustomerToldOfHolds));
        if (tellNotShipped && unshippedPlans.Count > 0)
        {
            var details = new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(progress.OrderUnits(unshippedPlans.SelectMany(p => p.Lines))),
            };
            if (refundedRemainder is { Succeeded: true })
            {
                details[CustomerNotification.DetailKeys.Amount] = refundedRemainder.Amount.MinorUnits.ToString(CultureInfo.InvariantCulture);
            }

            await steps.NotifyAsync(new CustomerNotification(OrderId, Milestone.Cancelled, null, "remainder", details));
        }

        await steps.ReleaseAsync(unshippedPlans.SelectMany(p => p.Lines).Select(l => l.Sku), "release");

        if (!salePosted)
        {
            await steps.StepAsync<string>(nameof(PostSaleActivity), Sale());
        }

        return unshippedPlans;
    }

    /// <summary>
    /// What goes back to the customer at settlement: paid up front, all that is <paramref name="withheld"/>; captured once
    /// for the whole order, what that capture took for goods that then did not ship; otherwise nothing.
    /// </summary>
    private Money RefundDue(PaymentVerification payment, Money capturedSoFar, Money withheld) =>
        payment.State == PaymentState.Succeeded ? withheld
        : this.CapturesOnce(payment) ? state.Settlement.OverCaptured(capturedSoFar, withheld)
        : Money.Zero(state.Order.Currency);

    /// <summary>
    /// Auth-then-capture: one capture per shipped fulfillment; the last one takes the remainder (shipping, tax)
    /// less <paramref name="withheld"/>, what is owed for goods that did not ship. From
    /// <see cref="OrderWorkflowVersions.CapturesOnceWithoutMulticapture"/>, an authorization a first capture finalises
    /// is captured once instead (<see cref="CaptureOnceAsync"/>).
    /// </summary>
    /// <remarks>
    /// Called with <paramref name="final"/> false when the first parcels shipped and the rest waits for backordered
    /// stock: those parcels are captured now (an authorization expires after days), the rest at completion. Each
    /// fulfillment is captured once; substitutes are charged at the ordered item's price.
    /// </remarks>
    public Task CaptureAsync(PaymentVerification payment, IReadOnlyList<PlannedFulfillment> shipped, Money withheld, bool final = true) =>
        this.CaptureAsync(payment, shipped, withheld, final, carry: null);

    /// <summary><see cref="CaptureAsync(PaymentVerification, IReadOnlyList{PlannedFulfillment}, Money, bool)"/>, which may carry the sale.</summary>
    /// <param name="carry">Given the amount of the order's only capture (none taken before, one now, not the capture-once
    /// path), the sale entry that capture carries, or null when it carries none (<see cref="OrderWorkflowVersions.StepsCarriedTogether"/>).</param>
    /// <returns>True when the capture was accepted and posted the sale it carried.</returns>
    private async Task<bool> CaptureAsync(
        PaymentVerification payment, IReadOnlyList<PlannedFulfillment> shipped, Money withheld, bool final, Func<Money, SaleEntry?>? carry)
    {
        if (payment.State != PaymentState.RequiresCapture || state.Order.PaymentReference is null)
        {
            return false;
        }

        var progress = state.Progress;
        var pending = shipped.Where(p => !progress.CapturedFulfillments.Contains(p.FulfillmentId))
            .Select(p => (p.FulfillmentId, progress.OrderUnits(p.Lines)))
            .ToList();
        if (this.CapturesOnce(payment) && (progress.CapturedFulfillments.Count > 0 || pending.Count > 1 || !final))
        {
            await this.CaptureOnceAsync(pending.Select(p => p.FulfillmentId).ToList(), shipped);
            return false;
        }

        var captures = state.Settlement.Captures(pending, progress.CapturedSoFar, withheld, final);
        var sale = captures is [var only] && progress.CapturedFulfillments.Count == 0 ? carry?.Invoke(only.Amount) : null;
        var salePosted = false;
        foreach (var capture in captures)
        {
            progress.CapturedFulfillments.Add(capture.FulfillmentId);
            var result = await this.CaptureStepAsync(capture.FulfillmentId, capture.Amount, capture.Final, null, sale);
            salePosted = sale is not null && result.Captured && result.SalePosted;
            progress.CapturedSoFar += capture.Amount;
        }

        return salePosted;
    }

    /// <summary>
    /// True when this order captures its authorization once: the provider said a first capture finalises it (no
    /// multicapture), and the order runs <see cref="OrderWorkflowVersions.CapturesOnceWithoutMulticapture"/>.
    /// </summary>
    private bool CapturesOnce(PaymentVerification payment) =>
        payment.CapturesOnce && state.Input.Runs(OrderWorkflowVersions.CapturesOnceWithoutMulticapture);

    /// <summary>
    /// No multicapture, and the order ships (or may ship) in several parcels: the first parcels to ship capture what the
    /// whole order owes (its total less what is already known not to ship), with final_capture, and the timeline says
    /// so; every later parcel captures nothing. What is given up afterwards is refunded from this capture at settlement
    /// (<see cref="OrderSettlement.OverCaptured"/>). Only a capture the provider accepted counts as captured.
    /// </summary>
    private async Task CaptureOnceAsync(IReadOnlyList<string> pending, IReadOnlyList<PlannedFulfillment> shipped)
    {
        var progress = state.Progress;
        var first = progress.CapturedFulfillments.Count == 0 ? pending.FirstOrDefault() : null;
        foreach (var id in pending)
        {
            progress.CapturedFulfillments.Add(id);
        }

        var money = state.Settlement;
        var owed = money.Owed(money.Withheld(money.ValueOf(progress.NotShippedUnits(progress.Unshipped(shipped)))));
        if (first is null || owed.MinorUnits == 0)
        {
            return;
        }

        var note = $"The card does not support multicapture: the whole order ({owed}) is captured at the first shipment ({first}); later shipments capture nothing.";
        if ((await this.CaptureStepAsync(first, owed, true, note, null)).Captured)
        {
            progress.CapturedSoFar += owed;
        }
    }

    /// <summary>
    /// Captures <paramref name="amount"/> for a fulfillment once (its key), posting <paramref name="sale"/> with it when
    /// given; a refusal opens a PaymentCaptureFailed case.
    /// </summary>
    private async Task<CaptureResult> CaptureStepAsync(string fulfillmentId, Money amount, bool final, string? note, SaleEntry? sale)
    {
        var result = await steps.StepAsync<CaptureResult>(nameof(CapturePaymentActivity), new CapturePaymentRequest(
            OrderId, state.Order.PaymentReference!, amount, final, OrderIds.IdempotencyKey(context.InstanceId, $"capture-{fulfillmentId}"), note, sale));
        if (!result.Captured)
        {
            await steps.EscalateAsync(ExceptionReason.PaymentCaptureFailed, $"capture-{fulfillmentId}", result.FailureReason ?? "Capture failed.", orderContinuesOnCancel: true);
        }

        return result;
    }

    /// <summary>
    /// Gives <paramref name="amount"/> back through the provider (a void when nothing was captured), once per step. A
    /// refusal, or an error that outlasts the retries, opens a RefundFailed case: RetryStep tries again (new key), Cancel
    /// gives the refund up (the case and reconciliation keep it visible). From
    /// <see cref="OrderWorkflowVersions.RefundsAsChild"/> this runs in the child workflow <see cref="RefundOrchestrator"/>
    /// (same keys; the case is the child's), awaited while cancellation requests are still taken.
    /// </summary>
    public async Task<RefundResult?> RefundAsync(Money amount, string step, string reason)
    {
        if (state.Order.PaymentReference is null || state.Payment is null)
        {
            return null;
        }

        var keyStep = $"refund-{step}";
        if (state.Input.Runs(OrderWorkflowVersions.RefundsAsChild))
        {
            var sequence = ++state.RefundChildren;
            var desk = steps.Desk;
            var input = new RefundWorkflowInput(
                OrderId, state.Order.PaymentReference, amount, reason, context.InstanceId, keyStep,
                desk.CaseIdPrefix, $"refund-{sequence.ToString(CultureInfo.InvariantCulture)}", keyStep, state.Input.Settings);
            var child = context.CallSubOrchestratorAsync<RefundOutcome>(
                nameof(RefundOrchestrator), input, new SubOrchestrationOptions(instanceId: RefundWorkflowInput.InstanceIdFor(desk.CaseIdPrefix, sequence)));
            return (await cancellations.WhileAsync(child)).Result;
        }

        var outcome = await RefundRounds.RunAsync(
            round => RefundWorkflowInput.KeyFor(context.InstanceId, keyStep, round),
            key => RefundRounds.AskProviderAsync(steps.Calls, new RefundPaymentRequest(OrderId, state.Order.PaymentReference, amount, reason, key)),
            async error =>
            {
                var caseId = await steps.Desk.OpenAsync(ExceptionReason.RefundFailed, keyStep, keyStep, error);
                return (await steps.Desk.DecideAsync(caseId, ExceptionReason.RefundFailed)).Resolution;
            });
        return outcome.Result;
    }
}
