using Microsoft.DurableTask;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 3: validates items against the catalog, quantities, money and address (<see cref="OrderValidationRound"/>). From
/// <see cref="OrderWorkflowVersions.StatusWithStep"/> a valid order is moved to the status the request carries
/// (<see cref="ValidateOrderRequest.Then"/>, Validated, through <see cref="OrderStatusWriter"/>); an invalid one is not.
/// From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> a run's first round is carried by
/// <see cref="RecordOrderActivity"/>; this activity runs the later rounds, and the first when the carried one failed.
/// </summary>
public sealed class ValidateOrderActivity(IOrderStore orders, ICatalog catalog, TimeProvider clock) : TaskActivity<ValidateOrderRequest, ValidationResult>
{
    public override Task<ValidationResult> RunAsync(TaskActivityContext context, ValidateOrderRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return OrderValidationRound.RunAsync(orders, catalog, clock, input.OrderId, input.Then);
    }
}
