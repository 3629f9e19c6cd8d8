using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Stores the shipping address a person corrected on an AddressInvalid case (the store notes it on the timeline).</summary>
public sealed class UpdateShippingAddressActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<ShippingAddressCorrection, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ShippingAddressCorrection input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await orders.UpdateShippingAddressAsync(input.OrderId, input.Address, input.CorrectedBy, clock.GetUtcNow());
        return true;
    }
}
