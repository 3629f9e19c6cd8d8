using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 10: captures the money for one confirmed shipment (auth-then-capture stores). A request with a note (a capture
/// that is not one parcel's value) has the note and the outcome written to the order's timeline. From
/// <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> a request that carries the sale
/// (<see cref="CapturePaymentRequest.Sale"/>) posts it once the capture is accepted, through <see cref="SalePosting"/>
/// (what <see cref="PostSaleActivity"/> runs, same reference), and says so (<see cref="CaptureResult.SalePosted"/>); the
/// provider never sees the sale. A posting that fails does not fail the capture, which happened: the result says not
/// posted and the workflow posts the sale as its own step. A refused capture posts nothing.
/// </summary>
public sealed class CapturePaymentActivity(
    IPaymentGateway gateway,
    IOrderStore orders,
    TimeProvider clock,
    IAccountingLedger ledger,
    ILogger<CapturePaymentActivity> logger) : TaskActivity<CapturePaymentRequest, CaptureResult>
{
    public override async Task<CaptureResult> RunAsync(TaskActivityContext context, CapturePaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await gateway.CaptureAsync(input.Sale is null ? input : input with { Sale = null });
        if (input.Note is { Length: > 0 } note)
        {
            var outcome = result.Captured ? $"Captured {result.Amount}, provider reference {result.ProviderReference}." : $"The capture was refused: {result.FailureReason}.";
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "payment", $"{note} {outcome}"));
        }

        return result.Captured && input.Sale is { } sale ? await this.PostCarriedAsync(input.OrderId, sale, result) : result;
    }

    /// <summary>Posts the carried sale after an accepted capture (<see cref="CarriedStep"/>: a failure is reported as not posted, never thrown).</summary>
    private async Task<CaptureResult> PostCarriedAsync(string orderId, SaleEntry sale, CaptureResult captured) =>
        captured with { SalePosted = (await CarriedStep.TryAsync(logger, orderId, "sale posting", () => SalePosting.PostAsync(ledger, orders, clock, sale))).Done };
}
