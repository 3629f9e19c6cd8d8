using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// A child workflow that gives money back (a refund of what was captured, or a void of an authorization) for the order
/// workflow (a cancellation, what did not ship) and the return workflow, through <see cref="RefundRounds"/>: the parent's
/// idempotency keys, and a refusal becomes a RefundFailed case whose decision is routed here (instance id
/// <see cref="RefundWorkflowInput.InstanceIdFor"/>). Its custom status says "refund", or "on-hold:{caseId}" while a person decides.
/// </summary>
public sealed class RefundOrchestrator : TaskOrchestrator<RefundWorkflowInput, RefundOutcome>
{
    public override Task<RefundOutcome> RunAsync(TaskOrchestrationContext context, RefundWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var calls = new DurableCalls(context, input.Settings);
        var desk = new CaseDesk(calls, input.Settings, input.OrderId, input.CaseIdPrefix, context.InstanceId, calls.WaitAsync<CaseDecision>);
        context.SetCustomStatus("refund");
        return RefundRounds.RunAsync(
            input.Key,
            key => RefundRounds.AskProviderAsync(calls, new RefundPaymentRequest(input.OrderId, input.PaymentReference, input.Amount, input.Reason, key)),
            async error =>
            {
                var caseId = await desk.OpenAsync(ExceptionReason.RefundFailed, input.CaseIdPart, input.CaseStep, error);
                context.SetCustomStatus($"on-hold:{caseId}");
                var (resolution, _) = await desk.DecideAsync(caseId, ExceptionReason.RefundFailed);
                context.CreateReplaySafeLogger<RefundOrchestrator>().LogInformation(
                    "Order {OrderId} refund {InstanceId} case {CaseId} resolved as {Resolution}", input.OrderId, context.InstanceId, caseId, resolution);
                context.SetCustomStatus("refund");
                return resolution;
            });
    }
}
