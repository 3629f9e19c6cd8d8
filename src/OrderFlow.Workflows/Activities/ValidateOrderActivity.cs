using Microsoft.DurableTask;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 3: validates items against the catalog, quantities, money and address. From
/// <see cref="OrderWorkflowVersions.StatusWithStep"/> a valid order is moved to the status the request carries
/// (<see cref="ValidateOrderRequest.Then"/>, Validated, through <see cref="OrderStatusWriter"/>); an invalid one is not.
/// </summary>
public sealed class ValidateOrderActivity(IOrderStore orders, ICatalog catalog, TimeProvider clock) : TaskActivity<ValidateOrderRequest, ValidationResult>
{
    public override async Task<ValidationResult> RunAsync(TaskActivityContext context, ValidateOrderRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        var sellable = await catalog.FindSellableAsync(record.Order.Lines.Select(l => l.Sku).Distinct());
        var result = OrderValidator.Validate(record.Order, sellable);
        if (result.IsValid)
        {
            await OrderStatusWriter.ApplyCarriedAsync(orders, clock, input.Then);
        }

        return result;
    }
}
