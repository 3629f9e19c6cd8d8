using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Tests.Fulfillment;

public sealed class QueueFulfillmentProviderTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly QueueFulfillmentProvider provider = new(storage.QueueService, storage.Tables, new PickListStore(storage.Tables), storage.Options, TimeProvider.System, NullLogger<QueueFulfillmentProvider>.Instance);

    [Fact]
    public async Task DispatchAsync_Fulfillment_PutsReadablePickListOnLocationQueue()
    {
        var location = $"WH East/{Guid.NewGuid():N}"[..16];
        var dispatch = new FulfillmentDispatch("shopify-1001", "shopify-1001-F1", location, [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], "SBX123", "shopify-1001:dispatch-F1");

        var messageId = await provider.DispatchAsync(dispatch);

        var queueName = provider.QueueNameFor(location);
        Assert.StartsWith($"{storage.Prefix}picklists-wh-east-", queueName, StringComparison.Ordinal);
        var received = (await storage.QueueService.GetQueueClient(queueName).ReceiveMessagesAsync(maxMessages: 10)).Value;
        var message = Assert.Single(received);
        Assert.Equal(messageId, message.MessageId);
        var pickList = JsonSerializer.Deserialize<PickListMessage>(message.Body.ToString(), IntegrationJson.Options)!;
        Assert.Equal(dispatch.OrderId, pickList.OrderId);
        Assert.Equal(dispatch.FulfillmentId, pickList.FulfillmentId);
        Assert.Equal(location, pickList.Location);
        Assert.Equal(dispatch.Lines, pickList.Lines);
        Assert.Equal("SBX123", pickList.TrackingNumber);
        using var doc = JsonDocument.Parse(message.Body.ToString());
        Assert.True(doc.RootElement.TryGetProperty("fulfillmentId", out _), "pick lists use camelCase JSON");
    }

    [Fact]
    public async Task DispatchAsync_SameIdempotencyKeyTwice_QueuesOneMessage()
    {
        var location = $"wh{Guid.NewGuid():N}"[..10];
        var dispatch = new FulfillmentDispatch("shopify-1002", "shopify-1002-F1", location, [new FulfillmentLine("SKU-MUG", 1)], "SBX456", "shopify-1002:dispatch-F1");

        var first = await provider.DispatchAsync(dispatch);
        var second = await provider.DispatchAsync(dispatch);

        Assert.Equal(first, second);
        var properties = await storage.QueueService.GetQueueClient(provider.QueueNameFor(location)).GetPropertiesAsync();
        Assert.Equal(1, properties.Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task DispatchAsync_SameFulfillmentTwice_OneOpenPickListWithLinesAndLabelTracking()
    {
        var location = $"wh{Guid.NewGuid():N}"[..10];
        var dispatch = new FulfillmentDispatch("shopify-1004", "shopify-1004-F1", location, [new FulfillmentLine("SKU-MUG", 2)], "SBX321", "shopify-1004:dispatch-F1");

        await provider.DispatchAsync(dispatch);
        await provider.DispatchAsync(dispatch);

        var (picks, more) = await new PickListStore(storage.Tables).ListOpenAsync(location, 10);
        var pick = Assert.Single(picks);
        Assert.False(more);
        Assert.Equal(("shopify-1004", "shopify-1004-F1", "SBX321", PickListEntry.Open), (pick.OrderId, pick.FulfillmentId, pick.TrackingNumber, pick.Status));
        Assert.Equal(dispatch.Lines, pick.Lines);
        Assert.False(pick.CancelRequested);
    }

    [Fact]
    public async Task CancelAsync_AfterThePickList_QueuesOneCancelMessageOnTheSameQueueAndAnswersPending()
    {
        var location = $"wh{Guid.NewGuid():N}"[..10];
        var dispatch = new FulfillmentDispatch("shopify-1003", "shopify-1003-F1", location, [new FulfillmentLine("SKU-MUG", 1)], "SBX789", "shopify-1003:dispatch-F1");
        var cancellation = new FulfillmentCancellation("shopify-1003", "shopify-1003-F1", location, dispatch.Lines, "SBX789", "order-cancelled", "shopify-1003:cancel-shopify-1003-F1");
        await provider.DispatchAsync(dispatch);

        var answer = await provider.CancelAsync(cancellation);
        var again = await provider.CancelAsync(cancellation);

        Assert.Equal((LocationCancelAnswer.Pending, LocationCancelAnswer.Pending), (answer.Outcome, again.Outcome));
        var received = (await storage.QueueService.GetQueueClient(provider.QueueNameFor(location)).ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(2, received.Length);
        var kinds = received.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("kind").GetString()).ToList();
        Assert.Equal([PickListMessage.PickKind, PickListMessage.CancelKind], kinds);
        var cancel = JsonSerializer.Deserialize<FulfillmentCancelMessage>(received[1].Body.ToString(), IntegrationJson.Options)!;
        Assert.Equal(
            ("shopify-1003-F1", "SBX789", "order-cancelled", cancellation.IdempotencyKey),
            (cancel.FulfillmentId, cancel.TrackingNumber, cancel.Reason, cancel.IdempotencyKey));
        var pick = await new PickListStore(storage.Tables).GetAsync(location, "shopify-1003-F1");
        Assert.Equal((PickListEntry.Open, "order-cancelled"), (pick!.Status, pick.CancelReason));
    }

    [Theory]
    [InlineData("", "WH-A", "picklists-wh-a")]
    [InlineData("t1", "Main Warehouse #2", "t1picklists-main-warehouse-2")]
    [InlineData("T1", "--//--", "t1picklists")]
    public void PickList_Location_SanitizedToQueueName(string prefix, string location, string expected)
    {
        Assert.Equal(expected, QueueNames.PickList(prefix, location));
    }

    [Fact]
    public void PickList_VeryLongLocation_StaysWithin63CharactersAndUnique()
    {
        var a = QueueNames.PickList("t1", new string('a', 100) + "1");
        var b = QueueNames.PickList("t1", new string('a', 100) + "2");

        Assert.Equal(63, a.Length);
        Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", a);
        Assert.NotEqual(a, b);
    }
}
