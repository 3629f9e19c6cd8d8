using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 4: confirms with the payment provider that the order is paid or authorized for its exact amount.</summary>
public sealed class VerifyPaymentActivity(IPaymentGateway gateway) : TaskActivity<VerifyPaymentRequest, PaymentVerification>
{
    public override Task<PaymentVerification> RunAsync(TaskActivityContext context, VerifyPaymentRequest input) =>
        gateway.VerifyAsync(input);
}
