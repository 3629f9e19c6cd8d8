using Microsoft.Extensions.Logging;
using OrderFlow.Api.Cases;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Payments;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// What a channel's "payment changed" webhook does to an order whose payment the channel holds (Shopify orders/paid,
/// WooCommerce order.updated): store the channel's new payment facts (timeline entry), and when they confirm the
/// payment, decide every open PaymentFailed case holding the order RetryStep through the case decision outbox, so the
/// workflow verifies again from the stored facts and goes on. Returns the delivery's outcome and reason.
/// </summary>
public sealed partial class ChannelPaymentRelease(IOrderStore orders, ICaseReader cases, CaseDecisionService decisions, ILogger<ChannelPaymentRelease> logger)
{
    public const string Ignored = "ignored";

    /// <param name="channel">The channel the webhook came from; an order paid elsewhere (Stripe) is left alone.</param>
    /// <param name="update">The order's new payment facts from its current ones.</param>
    /// <param name="decidedBy">Who the case decision is recorded as (e.g. "shopify:orders/paid").</param>
    public async Task<(string Outcome, string Reason)> ApplyAsync(
        string orderId, string channel, Func<ChannelPayment, ChannelPayment> update, string decidedBy, DateTimeOffset at, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var record = await orders.GetAsync(orderId, cancellationToken);
        if (record is null)
        {
            return (DeliveryOutcomes.Unmatched, $"No order '{orderId}' yet: nothing changed (the order's create webhook carries its payment state when it arrives).");
        }

        if (record.Order.Payment is not { } payment || payment.Channel != channel)
        {
            return (Ignored, $"The order's payment authority is not {channel} (a Stripe payment): its own events move it.");
        }

        var updated = update(payment);
        if (updated != payment)
        {
            await orders.UpdateChannelPaymentAsync(orderId, updated, $"{decidedBy}: the channel reports the payment {updated.Status} (was {payment.Status}).", at, cancellationToken);
        }

        if (!ChannelPaymentRules.Confirms(updated))
        {
            return (Ignored, $"The channel reports the payment {updated.Status}: not paid yet, no hold released.");
        }

        var released = new List<string>();
        foreach (var held in (await cases.ListOpenAsync(cancellationToken))
            .Where(c => c.OrderId == orderId && c.Reason == ExceptionReason.PaymentFailed && c.AllowedResolutions.Contains(CaseResolution.RetryStep)))
        {
            var decided = await decisions.DecideAsync(held, CaseResolution.RetryStep, decidedBy, "The sales channel reports the order paid.", workflows, cancellationToken);
            LogCaseDecided(orderId, held.CaseId, decided.ToString());
            if (decided == CaseDecisionOutcome.Resolved)
            {
                released.Add(held.CaseId);
            }
        }

        return (DeliveryOutcomes.Accepted, released.Count > 0
            ? $"Payment {updated.Status}; payment hold {string.Join(", ", released)} retried."
            : $"Payment {updated.Status}; no payment hold was waiting.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: payment case {CaseId} retried after the channel reported it paid ({Outcome})")]
    private partial void LogCaseDecided(string orderId, string caseId, string outcome);
}
