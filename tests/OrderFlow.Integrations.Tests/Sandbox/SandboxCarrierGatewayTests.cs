using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Sandbox;

public sealed class SandboxCarrierGatewayTests
{
    private readonly SandboxCarrierGateway carrier = new(NullLogger<SandboxCarrierGateway>.Instance);

    [Fact]
    public async Task BuyLabelAsync_SameKey_SameLabelAndDifferentKeyDifferentTracking()
    {
        var label = await carrier.BuyLabelAsync(Request("o1:label-F1"));
        var again = await carrier.BuyLabelAsync(Request("o1:label-F1"));
        var other = await carrier.BuyLabelAsync(Request("o1:label-F2"));

        Assert.Equal(label, again);
        Assert.NotEqual(label.TrackingNumber, other.TrackingNumber);
        Assert.Equal("SandboxPost", label.Carrier);
        Assert.Matches("^SBX[0-9]{12}$", label.TrackingNumber);
        Assert.Equal($"https://tracking.example/{label.TrackingNumber}", label.TrackingUrl);
        Assert.StartsWith("https://labels.example/", label.LabelUrl, StringComparison.Ordinal);
        Assert.Equal(500, label.Cost.MinorUnits);
        Assert.Equal("USD", label.Cost.Currency);
    }

    private static LabelRequest Request(string key) =>
        new("o1", "F1", "WH-A", TestOrders.Create().ShippingAddress, [new("SKU-MUG", 2)], key);
}
