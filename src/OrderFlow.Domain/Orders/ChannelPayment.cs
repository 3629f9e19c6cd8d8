using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Orders;

/// <summary>
/// What the sales channel said about the order's payment when it delivered the order, for orders whose payment
/// authority is the channel itself (Shopify Payments, PayPal, Shop Pay, bank deposit, a WooCommerce gateway other
/// than Stripe) rather than a Stripe PaymentIntent.
/// </summary>
/// <param name="Channel">The channel that holds the payment: "shopify" or "woocommerce".</param>
/// <param name="Status">
/// The channel's own payment state, lower case as sent: Shopify <c>financial_status</c> (pending, authorized,
/// partially_paid, paid, partially_refunded, refunded, voided, expired); WooCommerce <c>status</c> (pending,
/// processing, on-hold, completed, cancelled, refunded, failed).
/// </param>
/// <param name="Gateway">The payment gateway(s) the channel names (Shopify <c>payment_gateway_names</c>, WooCommerce <c>payment_method</c>).</param>
/// <param name="Amount">What the channel says the customer pays (the order total in the shop currency).</param>
/// <param name="PaidAt">When the channel recorded the payment (WooCommerce <c>date_paid</c>, or <c>set_paid</c>); null when not paid.</param>
public sealed record ChannelPayment(string Channel, string Status, string? Gateway, Money Amount, DateTimeOffset? PaidAt = null);
