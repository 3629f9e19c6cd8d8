using Microsoft.DurableTask;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 3: validates items against the catalog, quantities, money and address.</summary>
public sealed class ValidateOrderActivity(IOrderStore orders, ICatalog catalog) : TaskActivity<string, ValidationResult>
{
    public override async Task<ValidationResult> RunAsync(TaskActivityContext context, string orderId)
    {
        var record = await orders.GetAsync(orderId) ?? throw new InvalidOperationException($"Order {orderId} is not recorded.");
        var sellable = await catalog.FindSellableAsync(record.Order.Lines.Select(l => l.Sku).Distinct());
        return OrderValidator.Validate(record.Order, sellable);
    }
}
