using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Workflows.Ports;
using global::Stripe;

namespace OrderFlow.Integrations.Stripe;

/// <summary>
/// Reconciliation's payment side from Stripe: the PaymentIntent (reference = pi id) with its latest charge expanded;
/// the charge's amount_captured and amount_refunded are cumulative over partial captures and refunds. An unknown intent
/// is null (nothing was collected); rate limits, 5xx and network faults are thrown for the durable retry policy.
/// </summary>
public sealed partial class StripePaymentLedgerReader(PaymentIntentService paymentIntents, ILogger<StripePaymentLedgerReader> logger) : IPaymentLedgerReader
{
    public async Task<PaymentFacts?> GetPaymentFactsAsync(string paymentReference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        PaymentIntent intent;
        try
        {
            intent = await paymentIntents.GetAsync(
                paymentReference,
                new PaymentIntentGetOptions { Expand = ["latest_charge"] },
                cancellationToken: cancellationToken);
        }
        catch (StripeException ex) when (ex.StripeError?.Code == "resource_missing")
        {
            LogUnknown(paymentReference);
            return null;
        }

        var currency = (intent.Currency ?? string.Empty).ToUpperInvariant();
        if (!Currencies.IsValidCode(currency))
        {
            throw new InvalidDataException($"Stripe payment intent {intent.Id} has currency '{intent.Currency}', not an ISO 4217 code.");
        }

        // No charge yet (or only an uncaptured authorization): nothing captured, nothing refunded.
        var charge = intent.LatestCharge;
        var captured = charge is { Captured: true } ? charge.AmountCaptured : 0;
        var refunded = charge?.AmountRefunded ?? 0;
        LogRead(paymentReference, captured, refunded, currency);
        return new PaymentFacts(new Money(captured, currency), new Money(refunded, currency));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe payment intent {PaymentIntentId}: captured {Captured}, refunded {Refunded} ({Currency} minor units)")]
    private partial void LogRead(string paymentIntentId, long captured, long refunded, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe knows no payment intent {PaymentIntentId}")]
    private partial void LogUnknown(string paymentIntentId);
}
