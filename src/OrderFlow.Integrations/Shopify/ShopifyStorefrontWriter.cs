using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// Writes OrderFlow's order facts back to Shopify through the GraphQL Admin API (<see cref="ShopifyAdminClient"/>, whose
/// pipeline retries 429 and THROTTLED): a shipped parcel becomes a fulfillment (fulfillmentCreate on the order's
/// fulfillment orders, carrier, tracking number and URL, notifyCustomer false because OrderFlow emails the customer), a
/// cancellation becomes orderCancel (refund and restock false: OrderFlow does both), a hold the "orderflow:on-hold" tag
/// (tagsAdd / tagsRemove), a refund OrderFlow made through Stripe a line of the order's note (orderUpdate; Shopify records
/// money only against its own transactions). Completion needs no write: Shopify marks the order fulfilled once every
/// parcel is there.
/// Shopify takes no idempotency key for these mutations, so each write reads the order first and skips what is already
/// there (a fulfillment with the tracking number, nothing left to fulfil, cancelledAt set, the tag present or absent, the
/// refund's marker in the note),
/// and fulfillmentCreate and orderCancel are never retried after an answer that may have applied them. userErrors are
/// reported as <see cref="SalesChannelRejectedException"/>.
/// </summary>
public sealed partial class ShopifyStorefrontWriter(
    ShopifyAdminClient admin, IOptions<ChannelsOptions> options, ILogger<ShopifyStorefrontWriter> logger) : IStorefrontWriter
{
    public const string HoldTag = "orderflow:on-hold";

    private const string OrderGidPrefix = "gid://shopify/Order/";
    private static readonly string[] FulfillableStatuses = ["OPEN", "IN_PROGRESS"];

    public string Channel => ShopifyInventoryChannel.ChannelName;

    public bool Enabled => options.Value.Shopify.Enabled && options.Value.Shopify.WriteBack;

    public Task WriteAsync(WriteBackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var orderGid = OrderGidPrefix + request.Order.Order.ExternalId;
        return request.Op switch
        {
            WriteBackOps.Fulfillment => FulfillAsync(orderGid, request, cancellationToken),
            WriteBackOps.Cancel => CancelAsync(orderGid, request, cancellationToken),
            WriteBackOps.Hold => TagAsync(orderGid, add: true, cancellationToken),
            WriteBackOps.Unhold => TagAsync(orderGid, add: false, cancellationToken),
            WriteBackOps.Complete => Task.CompletedTask,
            WriteBackOps.Refund => NoteRefundAsync(orderGid, request, cancellationToken),
            _ => throw new ArgumentException($"Unknown write-back op '{request.Op}'.", nameof(request)),
        };
    }

    private async Task FulfillAsync(string orderGid, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var parcel = request.Fulfillment ?? throw new ArgumentException("A fulfillment write needs the fulfillment.", nameof(request));
        var data = await admin.PostAsync(
            "order fulfillment orders",
            """
            query OrderFlowFulfillmentOrders($id: ID!) {
              order(id: $id) {
                id
                fulfillments(first: 250) { id trackingInfo(first: 10) { number } }
                fulfillmentOrders(first: 50) {
                  nodes { id status lineItems(first: 250) { nodes { id remainingQuantity lineItem { sku } } } }
                }
              }
            }
            """,
            new Dictionary<string, object?> { ["id"] = orderGid },
            cancellationToken);
        var order = Order(data, orderGid);

        var tracking = parcel.TrackingNumber?.Trim();
        if (!string.IsNullOrEmpty(tracking) && order.GetProperty("fulfillments").EnumerateArray()
                .SelectMany(f => f.TryGetProperty("trackingInfo", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Any(t => string.Equals(ShopifyGraphQl.String(t, "number")?.Trim(), tracking, StringComparison.OrdinalIgnoreCase)))
        {
            LogAlreadyThere(request.Order.Order.OrderId, request.Key);
            return;
        }

        var allocation = Allocate(order, parcel);
        if (allocation.Count == 0)
        {
            // Nothing of the parcel is left to fulfil in Shopify (an earlier write, or the merchant did it by hand).
            LogNothingToFulfil(request.Order.Order.OrderId, parcel.FulfillmentId);
            return;
        }

        var created = await admin.PostAsync(
            "fulfillmentCreate",
            """
            mutation OrderFlowFulfill($fulfillment: FulfillmentInput!) {
              fulfillmentCreate(fulfillment: $fulfillment) {
                fulfillment { id status }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?>
            {
                ["fulfillment"] = new
                {
                    notifyCustomer = false,
                    trackingInfo = new { company = parcel.Carrier, number = tracking, url = parcel.TrackingUrl },
                    lineItemsByFulfillmentOrder = allocation
                        .GroupBy(a => a.FulfillmentOrderId, StringComparer.Ordinal)
                        .Select(g => new
                        {
                            fulfillmentOrderId = g.Key,
                            fulfillmentOrderLineItems = g.Select(a => new { id = a.LineItemId, quantity = a.Quantity }).ToList(),
                        })
                        .ToList(),
                },
            },
            cancellationToken,
            onlyRetryRefused: true);
        ThrowIfRefused("fulfillmentCreate", ShopifyGraphQl.UserErrors(created.GetProperty("fulfillmentCreate")));
        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    /// <summary>The parcel's units on the fulfillment order line items with that SKU that still have units to fulfil.</summary>
    private static List<(string FulfillmentOrderId, string LineItemId, int Quantity)> Allocate(JsonElement order, FulfillmentRecord parcel)
    {
        var open = order.GetProperty("fulfillmentOrders").GetProperty("nodes").EnumerateArray()
            .Where(fo => FulfillableStatuses.Contains(ShopifyGraphQl.String(fo, "status")))
            .SelectMany(fo => fo.GetProperty("lineItems").GetProperty("nodes").EnumerateArray().Select(li => (
                FulfillmentOrderId: ShopifyGraphQl.String(fo, "id")!,
                LineItemId: ShopifyGraphQl.String(li, "id")!,
                Sku: li.TryGetProperty("lineItem", out var line) ? ShopifyGraphQl.String(line, "sku") : null,
                Remaining: li.TryGetProperty("remainingQuantity", out var r) && r.TryGetInt32(out var n) ? n : 0)))
            .Where(li => li.Remaining > 0)
            .ToList();
        var left = open.ToDictionary(li => li.LineItemId, li => li.Remaining, StringComparer.Ordinal);
        var allocation = new List<(string, string, int)>();
        foreach (var line in parcel.Lines)
        {
            var wanted = line.Quantity;
            foreach (var item in open.Where(li => string.Equals(li.Sku, line.Sku, StringComparison.Ordinal)))
            {
                var take = Math.Min(wanted, left[item.LineItemId]);
                if (take > 0)
                {
                    allocation.Add((item.FulfillmentOrderId, item.LineItemId, take));
                    left[item.LineItemId] -= take;
                    wanted -= take;
                }
            }
        }

        return allocation;
    }

    private async Task CancelAsync(string orderGid, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var order = Order(await ReadOrderAsync(orderGid, cancellationToken), orderGid);
        if (ShopifyGraphQl.String(order, "cancelledAt") is not null)
        {
            LogAlreadyThere(request.Order.Order.OrderId, request.Key);
            return;
        }

        var data = await admin.PostAsync(
            "orderCancel",
            """
            mutation OrderFlowCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
              orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
                job { id done }
                orderCancelUserErrors { code field message }
              }
            }
            """,
            new Dictionary<string, object?>
            {
                ["orderId"] = orderGid,
                ["reason"] = "OTHER",
                ["refund"] = false,
                ["restock"] = false,
                ["notifyCustomer"] = false,
                ["staffNote"] = $"Cancelled in OrderFlow {WriteBackOps.Marker(request.Key)}",
            },
            cancellationToken,
            onlyRetryRefused: true);
        ThrowIfRefused("orderCancel", ShopifyGraphQl.UserErrors(data.GetProperty("orderCancel"), "orderCancelUserErrors"));
        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    /// <summary>
    /// A refund OrderFlow made through Stripe: Shopify records money only against its own transactions (refundCreate), so
    /// the refund becomes a line of the order's note, "[orderflow:refund|{key}] refunded {amount} via Stripe", added with
    /// orderUpdate (which replaces the note: the line is appended to the note as read, and skipped when the note has it).
    /// </summary>
    private async Task NoteRefundAsync(string orderGid, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var amount = request.Amount ?? throw new ArgumentException("A refund write needs the amount.", nameof(request));
        var order = Order(
            await admin.PostAsync(
                "order note",
                """
                query OrderFlowOrderNote($id: ID!) {
                  order(id: $id) { id note }
                }
                """,
                new Dictionary<string, object?> { ["id"] = orderGid },
                cancellationToken),
            orderGid);
        var marker = WriteBackOps.Marker(request.Key);
        var note = ShopifyGraphQl.String(order, "note") ?? string.Empty;
        if (note.Contains(marker, StringComparison.Ordinal))
        {
            LogAlreadyThere(request.Order.Order.OrderId, request.Key);
            return;
        }

        var line = $"{marker} refunded {amount} via Stripe";
        var data = await admin.PostAsync(
            "orderUpdate",
            """
            mutation OrderFlowNote($input: OrderInput!) {
              orderUpdate(input: $input) {
                order { id }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?> { ["input"] = new { id = orderGid, note = note.Length == 0 ? line : $"{note.TrimEnd()}\n{line}" } },
            cancellationToken);
        ThrowIfRefused("orderUpdate", ShopifyGraphQl.UserErrors(data.GetProperty("orderUpdate")));
        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    private async Task TagAsync(string orderGid, bool add, CancellationToken cancellationToken)
    {
        var order = Order(await ReadOrderAsync(orderGid, cancellationToken), orderGid);
        var tagged = order.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            && tags.EnumerateArray().Any(t => string.Equals(t.GetString(), HoldTag, StringComparison.OrdinalIgnoreCase));
        if (tagged == add)
        {
            return;
        }

        var mutation = add ? "tagsAdd" : "tagsRemove";
        var data = await admin.PostAsync(
            mutation,
            $$"""
            mutation OrderFlowTags($id: ID!, $tags: [String!]!) {
              {{mutation}}(id: $id, tags: $tags) {
                node { id }
                userErrors { field message }
              }
            }
            """,
            new Dictionary<string, object?> { ["id"] = orderGid, ["tags"] = new[] { HoldTag } },
            cancellationToken);
        ThrowIfRefused(mutation, ShopifyGraphQl.UserErrors(data.GetProperty(mutation)));
        LogTagged(orderGid, mutation);
    }

    private Task<JsonElement> ReadOrderAsync(string orderGid, CancellationToken cancellationToken) => admin.PostAsync(
        "order",
        """
        query OrderFlowOrder($id: ID!) {
          order(id: $id) { id cancelledAt tags }
        }
        """,
        new Dictionary<string, object?> { ["id"] = orderGid },
        cancellationToken);

    private static JsonElement Order(JsonElement data, string orderGid) =>
        data.TryGetProperty("order", out var order) && order.ValueKind == JsonValueKind.Object
            ? order
            : throw new SalesChannelRejectedException($"Shopify has no order {orderGid} (deleted, or another shop).");

    private static void ThrowIfRefused(string mutation, IReadOnlyList<ShopifyUserError> errors)
    {
        if (errors.Count > 0)
        {
            throw new SalesChannelRejectedException($"Shopify {mutation} refused the write: {string.Join("; ", errors)}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: order {OrderId} {Key} written back")]
    private partial void LogWritten(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: order {OrderId} already has {Key}; nothing written")]
    private partial void LogAlreadyThere(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: order {OrderId} has nothing left to fulfil for {FulfillmentId}; nothing written")]
    private partial void LogNothingToFulfil(string orderId, string fulfillmentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopify: {Mutation} on {OrderGid} done")]
    private partial void LogTagged(string orderGid, string mutation);
}
