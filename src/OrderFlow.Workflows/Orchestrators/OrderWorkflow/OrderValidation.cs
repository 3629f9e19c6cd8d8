using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// The order's validation: items, quantities, totals and address, a round per attempt; an OrderInvalid or AddressInvalid
/// case per failed round, whose decision (a corrected address, a retry) leads to the next round. From revision 19
/// (<see cref="OrderWorkflowVersions.StepsCarriedTogether"/>) a run that is not a restart takes its first round from the
/// order's first activity (<see cref="OrderSummary.Validation"/>, <see cref="OrderValidationRound.RidesOnRecord"/>),
/// which wrote Validated when the order is valid; when that activity returned no result (its round failed), the round
/// runs as <c>ValidateOrderActivity</c>, as before.
/// </summary>
internal sealed class OrderValidation(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    /// <summary>True when the order is valid (Validated); false when a person (or a deadline) gave up on it.</summary>
    public async Task<bool> ValidateAsync()
    {
        var carried = OrderValidationRound.RidesOnRecord(state.Input) ? state.Order.Validation : null;
        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            context.SetCustomStatus("validate");
            // From revision 14 the validation writes Validated itself (when the order is valid).
            var folded = state.Input.Runs(OrderWorkflowVersions.StatusWithStep);
            var result = round == 1 && carried is not null ? carried : await this.RoundAsync(folded);
            if (result.IsValid)
            {
                await steps.SetStatusAsync(OrderStatus.Validated, OrderValidationRound.ValidNote, carried: folded);
                return true;
            }

            var reason = result.OnlyAddressErrors ? ExceptionReason.AddressInvalid : ExceptionReason.OrderInvalid;
            var error = string.Join(" ", result.Errors.Select(e => $"[{e.Field}/{e.Rule}] {e.Message}"));
            var (resolution, decision) = await steps.EscalateForDecisionAsync(reason, "validate", error);

            // A corrected address is stored, then validated again (the next round).
            if (!await steps.ApplyAddressDecisionAsync(resolution, decision))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>One round as its own step, <c>ValidateOrderActivity</c> (carrying Validated from revision 14).</summary>
    private Task<ValidationResult> RoundAsync(bool folded)
    {
        object request = folded ? new ValidateOrderRequest(state.OrderId, steps.StatusChangeFor(OrderStatus.Validated, OrderValidationRound.ValidNote)) : state.OrderId;
        return steps.StepAsync<ValidationResult>(nameof(ValidateOrderActivity), request);
    }
}
