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
internal sealed class Settlement(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    private string OrderId => state.OrderId;

    /// <summary>
    /// Completes the money side: what did not ship (unconfirmed fulfillments, cancelled lines) is neither captured nor
    /// booked, and its share of the tax is withheld; paid up front, it is refunded. Substitutes are charged at the
    /// ordered item's price. Then the unshipped holds are released and the sale is posted. Returns the unshipped plans.
    /// </summary>
    public async Task<IReadOnlyList<PlannedFulfillment>> SettleAsync(PaymentVerification payment, List<PlannedFulfillment> shipped)
    {
        var progress = state.Progress;
        var money = state.Settlement;
        var t = state.Order.Totals;
        var unshippedPlans = progress.Unshipped(shipped);
        var notShipped = money.ValueOf(progress.NotShippedUnits(unshippedPlans));
        var withheld = money.Withheld(notShipped);
        await this.CaptureAsync(payment, shipped, withheld);
        RefundResult? refundedRemainder = null;
        if (payment.State == PaymentState.Succeeded && withheld.MinorUnits > 0 && state.Cancellation is not { Refund: false })
        {
            // Paid up front: what will not ship goes back to the customer.
            refundedRemainder = await this.RefundAsync(withheld, "not-shipped", "items that did not ship");
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

        await steps.StepAsync<string>(nameof(PostSaleActivity), new SaleEntry(
            OrderId, state.Order.OrderNumber, money.BookedSubtotal(notShipped), money.BookedTax(notShipped), t.Shipping, t.Discount,
            OrderIds.IdempotencyKey(context.InstanceId, "accounting")));
        return unshippedPlans;
    }

    /// <summary>
    /// Auth-then-capture: one capture per shipped fulfillment; the last one takes the remainder (shipping, tax)
    /// less <paramref name="withheld"/>, what is owed for goods that did not ship.
    /// </summary>
    /// <remarks>
    /// Called with <paramref name="final"/> false when the first parcels shipped and the rest waits for backordered
    /// stock: those parcels are captured now (an authorization expires after days), the rest at completion. Each
    /// fulfillment is captured once; substitutes are charged at the ordered item's price.
    /// </remarks>
    public async Task CaptureAsync(PaymentVerification payment, IReadOnlyList<PlannedFulfillment> shipped, Money withheld, bool final = true)
    {
        if (payment.State != PaymentState.RequiresCapture || state.Order.PaymentReference is null)
        {
            return;
        }

        var progress = state.Progress;
        var pending = shipped.Where(p => !progress.CapturedFulfillments.Contains(p.FulfillmentId))
            .Select(p => (p.FulfillmentId, progress.OrderUnits(p.Lines)))
            .ToList();
        foreach (var capture in state.Settlement.Captures(pending, progress.CapturedSoFar, withheld, final))
        {
            progress.CapturedFulfillments.Add(capture.FulfillmentId);
            var result = await steps.StepAsync<CaptureResult>(nameof(CapturePaymentActivity), new CapturePaymentRequest(
                OrderId, state.Order.PaymentReference, capture.Amount, capture.Final, OrderIds.IdempotencyKey(context.InstanceId, $"capture-{capture.FulfillmentId}")));
            if (!result.Captured)
            {
                await steps.EscalateAsync(ExceptionReason.PaymentCaptureFailed, $"capture-{capture.FulfillmentId}", result.FailureReason ?? "Capture failed.", orderContinuesOnCancel: true);
            }

            progress.CapturedSoFar += capture.Amount;
        }
    }

    /// <summary>
    /// Gives <paramref name="amount"/> back through the provider (a void when nothing was captured), once per step. A
    /// refusal, or an error that outlasts the retries, opens a RefundFailed case: RetryStep tries again (new key), Cancel
    /// gives the refund up (the case and reconciliation keep it visible).
    /// </summary>
    public async Task<RefundResult?> RefundAsync(Money amount, string step, string reason)
    {
        if (state.Order.PaymentReference is null || state.Payment is null)
        {
            return null;
        }

        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            var key = OrderIds.IdempotencyKey(context.InstanceId, round == 1 ? $"refund-{step}" : $"refund-{step}-{round}");
            RefundResult result;
            string error;
            try
            {
                result = await steps.RawStepAsync<RefundResult>(nameof(RefundPaymentActivity), new RefundPaymentRequest(OrderId, state.Order.PaymentReference, amount, reason, key));
                if (result.Succeeded)
                {
                    return result;
                }

                error = $"Refund of {amount} refused: {result.FailureReason}";
            }
            catch (TaskFailedException ex)
            {
                // An error after the retries (provider down, timeout) takes the refusal's path: the customer is owed the
                // money, so a person decides; the workflow does not fail with the refund unpaid.
                var failure = ex.FailureDetails?.ErrorMessage ?? ex.Message;
                result = new RefundResult(false, amount, null, failure);
                error = $"Refund of {amount} failed: {failure}";
            }

            var caseId = await steps.Desk.OpenAsync(ExceptionReason.RefundFailed, $"refund-{step}", $"refund-{step}", error);
            var (resolution, _) = await steps.Desk.DecideAsync(caseId, ExceptionReason.RefundFailed);

            if (resolution != CaseResolution.RetryStep)
            {
                return result;
            }
        }

        return null;
    }
}
