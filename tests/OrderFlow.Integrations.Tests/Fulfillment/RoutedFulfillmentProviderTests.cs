using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>Which hand-off a dispatch takes, by its location's Routing Method.</summary>
public sealed class RoutedFulfillmentProviderTests
{
    private readonly Mock<IFulfillmentProvider> queue = Provider("queue-ref");
    private readonly Mock<IFulfillmentProvider> thirdParty = Provider("3pl-ref");
    private readonly Mock<IFulfillmentProvider> dropship = Provider("email-ref");

    [Theory]
    [InlineData("WH-EAST", "queue-ref")]
    [InlineData("UNLISTED", "queue-ref")]
    [InlineData("ACME-3PL", "3pl-ref")]
    [InlineData("MUG-VENDOR", "email-ref")]
    public async Task DispatchAsync_ByLocationMethod_UsesThatHandoffOnly(string location, string expected)
    {
        var dispatch = Dispatch(location);

        var reference = await Routed().DispatchAsync(dispatch);

        Assert.Equal(expected, reference);
        var calls = new[] { queue, thirdParty, dropship }.Sum(m => m.Invocations.Count);
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData("DIGITAL", nameof(FulfillmentMethod.DigitalDelivery))]
    [InlineData("STORE-PICKUP", nameof(FulfillmentMethod.LocalPickup))]
    [InlineData("API-VENDOR", nameof(FulfillmentMethod.DropshipApi))]
    public async Task DispatchAsync_MethodWithoutHandoff_ThrowsNotSupportedNamingTheLocation(string location, string method)
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => Routed().DispatchAsync(Dispatch(location)));

        Assert.Contains($"Location '{location}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(method, ex.Message, StringComparison.Ordinal);
        Assert.Empty(queue.Invocations.Concat(thirdParty.Invocations).Concat(dropship.Invocations));
    }

    private RoutedFulfillmentProvider Routed() => new(
        Options.Create(new RoutingOptions
        {
            Locations =
            [
                Location("WH-EAST", FulfillmentMethod.OwnWarehouse),
                Location("ACME-3PL", FulfillmentMethod.ThirdPartyApi),
                Location("MUG-VENDOR", FulfillmentMethod.DropshipEmail),
                Location("API-VENDOR", FulfillmentMethod.DropshipApi),
                Location("DIGITAL", FulfillmentMethod.DigitalDelivery),
                Location("STORE-PICKUP", FulfillmentMethod.LocalPickup),
            ],
        }),
        queue.Object,
        thirdParty.Object,
        dropship.Object);

    private static RoutingLocationOptions Location(string id, FulfillmentMethod method) =>
        new() { Id = id, Method = method.ToString(), Regions = ["*"] };

    private static FulfillmentDispatch Dispatch(string location) =>
        new("shopify-1001", "shopify-1001-F1", location, [new FulfillmentLine("SKU-MUG", 1)], "TRK1", "shopify-1001:dispatch-F1");

    private static Mock<IFulfillmentProvider> Provider(string reference)
    {
        var mock = new Mock<IFulfillmentProvider>();
        mock.Setup(p => p.DispatchAsync(It.IsAny<FulfillmentDispatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(reference);
        return mock;
    }
}
