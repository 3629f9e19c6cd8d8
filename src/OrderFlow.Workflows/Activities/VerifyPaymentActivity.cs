using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 4: confirms with the payment provider that the order is paid or authorized for its exact amount. One payment
/// pays for one order: the reference is bound to the first order that claims it, and any other order naming it is
/// refused here (the workflow then opens its PaymentFailed case with the reason, naming the order that holds it).
/// </summary>
public sealed class VerifyPaymentActivity(IPaymentGateway gateway, IPaymentEventStore payments) : TaskActivity<VerifyPaymentRequest, PaymentVerification>
{
    public override async Task<PaymentVerification> RunAsync(TaskActivityContext context, VerifyPaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.PaymentReference is { Length: > 0 } reference)
        {
            var bound = await payments.RecordOrderAsync(reference, input.OrderId);
            if (bound is not null && !string.Equals(bound, input.OrderId, StringComparison.Ordinal))
            {
                return new PaymentVerification(PaymentState.Failed, null, null, AlreadyUsed(reference, bound));
            }
        }

        return await gateway.VerifyAsync(input);
    }

    /// <summary>The failure reason (and so the PaymentFailed case text) of a payment another order holds.</summary>
    public static string AlreadyUsed(string reference, string boundOrderId) => $"payment {reference} already used by order {boundOrderId}";
}
