using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Payments;

/// <summary>
/// Decides from the channel's own payment state whether an order without a Stripe PaymentIntent is paid. Shopify
/// (<c>financial_status</c>): paid is paid (the channel captured it, nothing to capture later); authorized is confirmed
/// as an authorization captured through Shopify per shipment; pending follows <see cref="PaymentsOptions.PendingPolicy"/>;
/// partially_paid, voided, refunded, partially_refunded and expired are not paid. WooCommerce (<c>status</c>,
/// <c>date_paid</c>): processing or completed, or a payment date, is paid; pending and on-hold follow the pending policy;
/// failed, cancelled, refunded are not paid.
/// </summary>
/// <remarks>
/// Failure reasons avoid the words the workflow reads specially ("declined" tells the customer the card was declined,
/// "processing" waits for a Stripe event), so a channel hold reads as a plain PaymentFailed case.
/// </remarks>
public static class ChannelPaymentRules
{
    /// <summary>The verification, and a timeline note when the outcome is not a plain "paid" (a hold or a policy ship).</summary>
    public static (PaymentVerification Verification, string? Note) Verify(ChannelPayment? facts, Money expected, bool shipPending)
    {
        if (facts is null)
        {
            return Fail("channel_payment_unknown: the order names its sales channel as the payment authority but carries no payment state from it.");
        }

        if (facts.Amount != expected)
        {
            return Fail($"channel_payment_amount_mismatch: {Name(facts.Channel)} reports {facts.Amount} for the order, the order total is {expected}.");
        }

        var status = facts.Status.Trim().ToLowerInvariant();
        var state = string.Equals(facts.Channel, "woocommerce", StringComparison.Ordinal) ? WooCommerce(status, facts.PaidAt) : Shopify(status);
        var gateway = string.IsNullOrWhiteSpace(facts.Gateway) ? "no gateway named" : $"gateway {facts.Gateway}";
        return state switch
        {
            ChannelState.Paid => (new PaymentVerification(PaymentState.Succeeded, expected, null, null), null),
            ChannelState.Authorized => (new PaymentVerification(PaymentState.RequiresCapture, expected, null, null), null),
            ChannelState.Pending when shipPending => (
                new PaymentVerification(PaymentState.Succeeded, expected, null, null),
                $"{Name(facts.Channel)} reports the payment {status} ({gateway}); shipping anyway because Payments:PendingPolicy is Ship — the channel collects it."),
            ChannelState.Pending => Fail(
                $"{Workflows.Activities.VerifyPaymentActivity.PendingPrefix} {Name(facts.Channel)} reports the payment {status} ({gateway}, e.g. bank deposit or cash on delivery). "
                + "Payments:PendingPolicy is Hold: the order waits until it is paid; once the channel shows it paid, retry this step."),
            _ => Fail($"payment_not_paid: {Name(facts.Channel)} reports the payment {status} ({gateway}); the order is not paid."),
        };
    }

    /// <summary>True when the channel's state confirms the payment (paid, or a Shopify authorization): a payment hold can end.</summary>
    public static bool Confirms(ChannelPayment facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var status = facts.Status.Trim().ToLowerInvariant();
        var state = string.Equals(facts.Channel, "woocommerce", StringComparison.Ordinal) ? WooCommerce(status, facts.PaidAt) : Shopify(status);
        return state is ChannelState.Paid or ChannelState.Authorized;
    }

    private static (PaymentVerification, string?) Fail(string reason) =>
        (new PaymentVerification(PaymentState.Failed, null, null, reason), reason);

    private static ChannelState Shopify(string status) => status switch
    {
        "paid" => ChannelState.Paid,
        "authorized" => ChannelState.Authorized,
        "pending" => ChannelState.Pending,
        _ => ChannelState.NotPaid,
    };

    private static ChannelState WooCommerce(string status, DateTimeOffset? paidAt) => status switch
    {
        "processing" or "completed" => ChannelState.Paid,
        "pending" or "on-hold" when paidAt is not null => ChannelState.Paid,
        "pending" or "on-hold" => ChannelState.Pending,
        _ => ChannelState.NotPaid,
    };

    private static string Name(string channel) => channel switch
    {
        "shopify" => "Shopify",
        "woocommerce" => "WooCommerce",
        _ => channel,
    };

    private enum ChannelState
    {
        Paid,
        Authorized,
        Pending,
        NotPaid,
    }
}
