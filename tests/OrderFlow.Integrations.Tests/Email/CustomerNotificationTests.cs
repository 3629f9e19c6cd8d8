using System.Text.Json;
using OrderFlow.Workflows.Contracts;
using static OrderFlow.Workflows.Contracts.CustomerNotification;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class CustomerNotificationTests
{
    [Fact]
    public void Key_OrderMilestoneFulfillmentReference_EachPartOnlyWhenGiven()
    {
        Assert.Equal("o1:OrderConfirmed", new CustomerNotification("o1", Milestone.OrderConfirmed, null).Key);
        Assert.Equal("o1:Shipped:o1-F2", new CustomerNotification("o1", Milestone.Shipped, "o1-F2").Key);
        Assert.Equal("o1:Refunded#r-2", new CustomerNotification("o1", Milestone.Refunded, null, "r-2").Key);
        Assert.Equal("o1:Delayed:o1-F1#2", new CustomerNotification("o1", Milestone.Delayed, "o1-F1", "2").Key);
    }

    [Fact]
    public void Milestone_ExistingValues_KeepTheirNumbers()
    {
        // Workflow history stores milestones as numbers: new ones are appended, old ones never move.
        Assert.Equal(0, (int)Milestone.OrderConfirmed);
        Assert.Equal(1, (int)Milestone.Shipped);
        Assert.Equal(2, (int)Milestone.OnHold);
        Assert.Equal(3, (int)Milestone.Cancelled);
    }

    [Theory]
    [InlineData(JsonSerializerDefaults.General)]
    [InlineData(JsonSerializerDefaults.Web)]
    public void Json_RoundTripWithDetails_EqualsOriginal(JsonSerializerDefaults defaults)
    {
        var options = new JsonSerializerOptions(defaults);
        var notification = new CustomerNotification("o1", Milestone.Refunded, null, "r-1", new Dictionary<string, string>
        {
            [DetailKeys.Amount] = "1250",
            [DetailKeys.Items] = FormatItems([("SKU-MUG", 1)]),
        });

        var copy = JsonSerializer.Deserialize<CustomerNotification>(JsonSerializer.Serialize(notification, options), options);

        Assert.Equal(notification, copy);
        Assert.Equal(notification.GetHashCode(), copy!.GetHashCode());
        Assert.Equal("SKU-MUG:1", copy.Details![DetailKeys.Items]);
    }

    [Fact]
    public void Json_OldPayloadWithoutNewFields_StillReads()
    {
        var copy = JsonSerializer.Deserialize<CustomerNotification>("""{"OrderId":"o1","Milestone":1,"FulfillmentId":"o1-F1"}""");

        Assert.Equal(new CustomerNotification("o1", Milestone.Shipped, "o1-F1"), copy);
    }

    [Fact]
    public void Equals_DifferentDetails_AreDifferent()
    {
        var a = new CustomerNotification("o1", Milestone.Refunded, null, null, new Dictionary<string, string> { [DetailKeys.Amount] = "1" });
        var b = a with { Details = new Dictionary<string, string> { [DetailKeys.Amount] = "2" } };

        Assert.NotEqual(a, b);
        Assert.NotEqual(a, a with { Details = null });
    }
}
