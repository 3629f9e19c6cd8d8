using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Refunds (or voids) a payment through the provider, once per idempotency key; a refusal is a result, not a failure.</summary>
public sealed class RefundPaymentActivity(IPaymentGateway payments) : TaskActivity<RefundPaymentRequest, RefundResult>
{
    public override Task<RefundResult> RunAsync(TaskActivityContext context, RefundPaymentRequest input) => payments.RefundAsync(input);
}
