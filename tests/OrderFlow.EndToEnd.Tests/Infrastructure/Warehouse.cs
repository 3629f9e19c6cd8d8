using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using OrderFlow.EndToEnd.Tests.Contracts;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Plays the warehouse: takes an order's pick lists off the location queues ("{prefix}picklists-{location}") the host
/// writes to. Pick lists of other orders are put back at once, untouched.
/// </summary>
public sealed class Warehouse(QueueServiceClient queues, string tablePrefix)
{
    /// <summary>The queue a location reads (location names here are plain letters, digits and hyphens).</summary>
    public string QueueName(string location) => $"{tablePrefix}picklists-{location}".ToLowerInvariant();

    /// <summary>
    /// Takes the order's pick list for each location off that location's queue; every location must receive exactly
    /// one (per fulfillment routed there).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PickList>> TakePickListsAsync(string orderId, params string[] locations)
    {
        var taken = new Dictionary<string, PickList>(StringComparer.Ordinal);
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var location in locations.Where(l => !taken.ContainsKey(l)))
                {
                    var mine = await TakeAsync(QueueName(location), orderId);
                    if (mine.Count > 1)
                    {
                        Assert.Fail($"{mine.Count} pick lists for order {orderId} on {QueueName(location)}: {JsonSerializer.Serialize(mine)}");
                    }

                    if (mine.Count == 1)
                    {
                        taken[location] = mine[0];
                    }
                }

                return taken.Keys.ToList();
            },
            found => found.Count == locations.Length,
            $"pick lists of order {orderId} on {string.Join(", ", locations.Select(QueueName))}");
        return taken;
    }

    /// <summary>Takes the order's pick lists and confirms each one as shipped with a signed callback (answered 202).</summary>
    public async Task<IReadOnlyDictionary<string, PickList>> ShipAsync(OrderFlowApi api, string orderId, params string[] locations)
    {
        var pickLists = await TakePickListsAsync(orderId, locations);
        foreach (var pickList in pickLists.Values)
        {
            using var response = await api.PostFulfillmentEventAsync(pickList.FulfillmentId, "shipped");
            Assert.True(
                response.StatusCode == System.Net.HttpStatusCode.Accepted,
                $"shipped callback for {pickList.FulfillmentId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return pickLists;
    }

    /// <summary>
    /// Takes the order's cancel message (kind "cancel", on the same queue as its pick list) off the location's queue and
    /// answers it as the warehouse would: a signed "cancelled" callback (answered 202). Returns the message.
    /// </summary>
    public async Task<PickList> StopAsync(OrderFlowApi api, string orderId, string location)
    {
        PickList? cancel = null;
        await Poll.UntilAsync(
            async () => cancel ??= (await TakeAsync(QueueName(location), orderId, "cancel")).SingleOrDefault(),
            found => found is not null,
            $"a cancel message for order {orderId} on {QueueName(location)}");
        using var response = await api.PostFulfillmentEventAsync(cancel!.FulfillmentId, "cancelled");
        Assert.True(
            response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"cancelled callback for {cancel.FulfillmentId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return cancel;
    }

    /// <summary>
    /// Messages of <paramref name="orderId"/> of one kind ("pick" lists, or "cancel" messages) currently on a queue
    /// (removed from it); the rest is put back at once.
    /// </summary>
    public async Task<IReadOnlyList<PickList>> TakeAsync(string queueName, string orderId, string kind = "pick")
    {
        var queue = queues.GetQueueClient(queueName);
        var mine = new List<PickList>();
        try
        {
            var received = await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromSeconds(30));
            foreach (var message in received.Value)
            {
                var pickList = JsonSerializer.Deserialize<PickList>(message.Body.ToString(), OrderFlowApi.Json);
                if (pickList?.OrderId == orderId && (pickList.Kind ?? "pick") == kind)
                {
                    mine.Add(pickList);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The host creates a location's queue with its first pick list.
        }

        return mine;
    }
}
