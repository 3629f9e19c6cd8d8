using Microsoft.DurableTask;
using OrderFlow.Domain.Returns;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Judges a recorded return with <see cref="ReturnPolicy"/> against the stored order and its other returns, and stores
/// the answer (Authorized, or Refused with the reasons).
/// </summary>
public sealed class AuthorizeReturnActivity(IOrderStore orders, IReturnStore returns, TimeProvider clock) : TaskActivity<ReturnWorkflowInput, ReturnDecision>
{
    public override async Task<ReturnDecision> RunAsync(TaskActivityContext context, ReturnWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not stored.");
        var existing = await returns.ListForOrderAsync(input.OrderId);
        var current = existing.FirstOrDefault(r => r.ReturnId == input.ReturnId);
        var now = clock.GetUtcNow();

        // A retried activity finds its own answer stored and gives it again (the window may have closed since).
        var verdict = current?.Status is ReturnStatus.Refused
            ? new ReturnAuthorization(false, [current.Note])
            : current?.Status is ReturnStatus.Requested or null
                ? ReturnPolicy.Authorize(input.Lines, ReturnFactsReader.Facts(order, existing, input.ReturnId), input.Rules, now)
                : ReturnAuthorization.Granted;
        if (current?.Status is ReturnStatus.Requested or null)
        {
            var note = verdict.Authorized ? "Authorized." : "Refused: " + string.Join(" ", verdict.Reasons);
            await returns.UpdateAsync(new ReturnUpdate(input.ReturnId, input.OrderId, verdict.Authorized ? ReturnStatus.Authorized : ReturnStatus.Refused, note), now);
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(now, "return", $"Return {input.ReturnId}: {note}"));
        }

        return new ReturnDecision(
            verdict.Authorized, verdict.Reasons, order.Order.OrderNumber, order.Order.PaymentReference,
            verdict.Authorized ? ReturnFactsReader.Pricing(order, existing, input.ReturnId) : null);
    }
}
