using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 10: captures the money for one confirmed shipment (auth-then-capture stores).</summary>
public sealed class CapturePaymentActivity(IPaymentGateway gateway) : TaskActivity<CapturePaymentRequest, CaptureResult>
{
    public override Task<CaptureResult> RunAsync(TaskActivityContext context, CapturePaymentRequest input) => gateway.CaptureAsync(input);
}
