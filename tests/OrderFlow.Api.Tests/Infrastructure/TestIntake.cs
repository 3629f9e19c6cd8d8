using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Handlers;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Infrastructure;

/// <summary>The shared intake start path (<see cref="OrderIntake"/>) over the given delivery store, for the intake handlers' tests.</summary>
public static class TestIntake
{
    public static OrderIntake Create(IDeliveryStore deliveries) =>
        new(
            deliveries,
            Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()),
            Microsoft.Extensions.Options.Options.Create(new InventoryOptions()),
            NullLogger<OrderIntake>.Instance);
}
