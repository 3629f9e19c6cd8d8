using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 4: confirms with the payment provider that the order is paid or authorized for its exact amount. One payment
/// pays for one order: the reference is bound to the first order that claims it, and any other order naming it is
/// refused here (the workflow then opens its PaymentFailed case with the reason, naming the order that holds it).
/// A failed payment is recorded in the recent-orders store (hashed email / IP keys) for fraud screening's
/// failed-payment velocity signal, when that store is registered. From
/// <see cref="OrderWorkflowVersions.PaymentConfirmedWithVerification"/> a verified payment moves the order to the status the
/// request carries (<see cref="VerifyPaymentRequest.Then"/>, PaymentConfirmed, through <see cref="OrderStatusWriter"/>); a
/// payment not verified moves nothing. From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> it then sends the
/// OrderConfirmed email the request carries (<see cref="VerifyPaymentRequest.ThenNotify"/>, once per key like every
/// customer message) and says so in <see cref="PaymentVerification.ConfirmationSent"/>; an email that cannot be sent
/// does not fail the verification: the workflow sends it as a step of its own (a NotificationFailed case if that fails too).
/// Then, when the request asks (<see cref="VerifyPaymentRequest.ThenScreen"/>), it screens the order for fraud through
/// <see cref="FraudScreening"/> with the risk level it just read (<see cref="PaymentVerification.Fraud"/>; a screening that
/// fails is left to the workflow's <see cref="AssessFraudActivity"/>).
/// </summary>
public sealed class VerifyPaymentActivity(
    IPaymentGateway gateway,
    IPaymentEventStore payments,
    IOrderStore? orders = null,
    IRecentOrderStore? recent = null,
    TimeProvider? clock = null,
    ICustomerNotifier? notifier = null,
    ILogger<VerifyPaymentActivity>? logger = null,
    FraudThresholds? thresholds = null) : TaskActivity<VerifyPaymentRequest, PaymentVerification>
{
    public override async Task<PaymentVerification> RunAsync(TaskActivityContext context, VerifyPaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.PaymentReference is { Length: > 0 } reference)
        {
            // Since order revision 13 the order's first activity has bound the intent already: a read finds it (a second
            // insert-if-absent would fail and read anyway); an intent no order holds yet is claimed here, first claim wins.
            var bound = await payments.FindOrderAsync(reference) ?? await payments.RecordOrderAsync(reference, input.OrderId);
            if (bound is not null && !string.Equals(bound, input.OrderId, StringComparison.Ordinal))
            {
                return await this.RecordFailureAsync(input.OrderId, new PaymentVerification(PaymentState.Failed, null, null, AlreadyUsed(reference, bound)));
            }
        }

        var result = await gateway.VerifyAsync(input);
        if (result.Verified)
        {
            result = await this.ThenAsync(input, result);
        }

        // A payment the channel still reports pending (bank deposit, cash on delivery) is a hold, not a failed payment:
        // it does not count towards the failed-payment velocity of the customer's next orders.
        return result.State == PaymentState.Failed && result.FailureReason?.StartsWith(PendingPrefix, StringComparison.Ordinal) != true
            ? await this.RecordFailureAsync(input.OrderId, result)
            : result;
    }

    /// <summary>
    /// What a verified payment's request carries, in order: the PaymentConfirmed status, the OrderConfirmed email, the
    /// fraud screening. The email and the screening are best effort (the workflow does what was not done on its own).
    /// </summary>
    private async Task<PaymentVerification> ThenAsync(VerifyPaymentRequest input, PaymentVerification verified)
    {
        var now = clock ?? TimeProvider.System;
        if (input.Then is { } then)
        {
            await OrderStatusWriter.ApplyCarriedAsync(Need(orders, "the order store"), now, then with { Note = verified.ConfirmedNote() });
        }

        if (input.ThenNotify is { } email)
        {
            var sender = Need(notifier, "the customer notifier");
            if ((await CarriedStep.TryAsync(logger, input.OrderId, "OrderConfirmed email", () => sender.NotifyAsync(email))).Done)
            {
                verified = verified with { ConfirmationSent = true };
            }
        }

        if (input.ThenScreen == true)
        {
            var (store, rules, history) = (Need(orders, "the order store"), Need(thresholds, "the fraud thresholds"), Need(recent, "the recent-orders store"));
            var (screened, fraud) = await CarriedStep.TryAsync(logger, input.OrderId, "fraud screening", () => FraudScreening.AssessAsync(store, rules, history, now, input.OrderId, verified.RiskLevel));
            if (screened)
            {
                verified = verified with { Fraud = fraud };
            }
        }

        return verified;
    }

    private static T Need<T>(T? dependency, string what)
        where T : class =>
        dependency ?? throw new InvalidOperationException($"A verification that carries a step needs {what}.");

    /// <summary>How the channel payment rules start the reason of a pending payment held by Payments:PendingPolicy=Hold.</summary>
    public const string PendingPrefix = "payment_pending:";

    private async Task<PaymentVerification> RecordFailureAsync(string orderId, PaymentVerification failed)
    {
        if (orders is not null && recent is not null && await orders.GetAsync(orderId) is { } record)
        {
            await recent.RecordFailedPaymentAsync(FraudKeys.For(record.Order), orderId, (clock ?? TimeProvider.System).GetUtcNow());
        }

        return failed;
    }

    /// <summary>The failure reason (and so the PaymentFailed case text) of a payment another order holds.</summary>
    public static string AlreadyUsed(string reference, string boundOrderId) => $"payment {reference} already used by order {boundOrderId}";
}
