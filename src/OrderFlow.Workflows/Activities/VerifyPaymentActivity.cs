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
/// </summary>
public sealed class VerifyPaymentActivity(
    IPaymentGateway gateway,
    IPaymentEventStore payments,
    IOrderStore? orders = null,
    IRecentOrderStore? recent = null,
    TimeProvider? clock = null,
    ICustomerNotifier? notifier = null,
    ILogger<VerifyPaymentActivity>? logger = null) : TaskActivity<VerifyPaymentRequest, PaymentVerification>
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
        if (result.Verified && input.Then is { } then)
        {
            await OrderStatusWriter.ApplyCarriedAsync(
                orders ?? throw new InvalidOperationException("A verification that carries the PaymentConfirmed status needs the order store."),
                clock ?? TimeProvider.System,
                then with { Note = result.ConfirmedNote() });
        }

        if (result.Verified && input.ThenNotify is { } email)
        {
            result = await this.ConfirmAsync(result, email);
        }

        // A payment the channel still reports pending (bank deposit, cash on delivery) is a hold, not a failed payment:
        // it does not count towards the failed-payment velocity of the customer's next orders.
        return result.State == PaymentState.Failed && result.FailureReason?.StartsWith(PendingPrefix, StringComparison.Ordinal) != true
            ? await this.RecordFailureAsync(input.OrderId, result)
            : result;
    }

    /// <summary>Sends the carried OrderConfirmed email; a failure leaves it to the workflow's own step.</summary>
    private async Task<PaymentVerification> ConfirmAsync(PaymentVerification verified, CustomerNotification email)
    {
        try
        {
            await (notifier ?? throw new InvalidOperationException("A verification that carries the OrderConfirmed email needs the customer notifier.")).NotifyAsync(email);
            return verified with { ConfirmationSent = true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The error's type only: a mail server's message can name the customer's address.
            logger?.LogWarning(
                "Order {OrderId}: the {Milestone} email carried by the payment verification was not sent ({Error}); the workflow sends it on its own",
                email.OrderId, email.Milestone, ex.GetType().Name);
            return verified;
        }
    }

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
