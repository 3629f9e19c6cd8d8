using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// Writes OrderFlow's order facts back to WooCommerce through the REST API v3 (<see cref="WooCommerceRestClient"/>):
/// the order status (completed, cancelled, on-hold, and processing when a hold ends) with PUT orders/{id}, and one
/// private order note per shipped parcel with carrier, tracking number and URL (POST orders/{id}/notes, customer_note
/// false: OrderFlow emails the customer). WooCommerce takes no idempotency key, so each write reads first: the status
/// is set only when it differs (a hold only on a pending / processing order, its release only on an on-hold one), and a
/// note carries an "[orderflow:fulfillment|{id}]" marker and is skipped when a note with it exists; a note is never
/// resent after an answer that may have added it. A refund OrderFlow made through Stripe is recorded as a WooCommerce
/// refund (POST orders/{id}/refunds, api_refund false: no money moves) whose reason carries "[orderflow:refund|{key}]",
/// after the same read-first check. A 4xx other than 429 is a refusal the caller opens a case for.
/// </summary>
public sealed partial class WooCommerceStorefrontWriter(
    WooCommerceRestClient rest, IOptions<ChannelsOptions> options, ILogger<WooCommerceStorefrontWriter> logger) : IStorefrontWriter
{
    private static readonly string[] Holdable = ["pending", "processing"];
    private static readonly string[] Completable = ["pending", "processing", "on-hold"];

    public string Channel => WooCommerceInventoryChannel.ChannelName;

    public bool Enabled => options.Value.WooCommerce.Enabled && options.Value.WooCommerce.WriteBack;

    public Task WriteAsync(WriteBackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Order.Order.ExternalId;
        return request.Op switch
        {
            WriteBackOps.Fulfillment => NoteAsync(id, request, cancellationToken),
            WriteBackOps.Complete => StatusAsync(id, request, "completed", Completable, cancellationToken),
            WriteBackOps.Cancel => StatusAsync(id, request, "cancelled", null, cancellationToken),
            WriteBackOps.Hold => StatusAsync(id, request, "on-hold", Holdable, cancellationToken),
            WriteBackOps.Unhold => StatusAsync(id, request, "processing", ["on-hold"], cancellationToken),
            WriteBackOps.Refund => RefundAsync(id, request, cancellationToken),
            _ => throw new ArgumentException($"Unknown write-back op '{request.Op}'.", nameof(request)),
        };
    }

    /// <param name="from">Statuses the order may move from; null: any. Another status is left as it is (logged).</param>
    private async Task StatusAsync(string id, WriteBackRequest request, string to, string[]? from, CancellationToken cancellationToken)
    {
        var path = "orders/" + Uri.EscapeDataString(id);
        string? current;
        using (var order = await rest.SendAsync(HttpMethod.Get, path, null, "order read", cancellationToken))
        {
            current = WooCommerceRestClient.Text(order.RootElement, "status");
        }

        if (current == to)
        {
            LogAlreadyThere(request.Order.Order.OrderId, request.Key);
            return;
        }

        if (from is not null && !from.Contains(current))
        {
            LogLeftAlone(request.Order.Order.OrderId, request.Op, current ?? "unknown");
            return;
        }

        using var answer = await rest.SendAsync(HttpMethod.Put, path, JsonContent.Create(new { status = to }), "order status", cancellationToken);
        if (WooCommerceRestClient.Text(answer.RootElement, "status") is { } now && now != to)
        {
            throw new SalesChannelRejectedException($"WooCommerce kept order {id} {now} when set to {to} (a plugin or the order's state refused it).");
        }

        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    private async Task NoteAsync(string id, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var parcel = request.Fulfillment ?? throw new ArgumentException("A fulfillment write needs the fulfillment.", nameof(request));
        var path = $"orders/{Uri.EscapeDataString(id)}/notes";
        var marker = WriteBackOps.Marker(request.Key);
        using (var notes = await rest.SendAsync(HttpMethod.Get, path + "?type=internal", null, "order notes", cancellationToken))
        {
            if (notes.RootElement.ValueKind == JsonValueKind.Array
                && notes.RootElement.EnumerateArray().Any(n => WooCommerceRestClient.Text(n, "note")?.Contains(marker, StringComparison.Ordinal) == true))
            {
                LogAlreadyThere(request.Order.Order.OrderId, request.Key);
                return;
            }
        }

        var note = new StringBuilder("Shipped ").Append(parcel.FulfillmentId);
        if (!string.IsNullOrWhiteSpace(parcel.Carrier))
        {
            note.Append(CultureInfo.InvariantCulture, $" with {parcel.Carrier}");
        }

        if (!string.IsNullOrWhiteSpace(parcel.TrackingNumber))
        {
            note.Append(CultureInfo.InvariantCulture, $", tracking number {parcel.TrackingNumber}");
        }

        if (!string.IsNullOrWhiteSpace(parcel.TrackingUrl))
        {
            note.Append(CultureInfo.InvariantCulture, $": {parcel.TrackingUrl}");
        }

        note.Append(CultureInfo.InvariantCulture, $" {marker}");
        using var added = await rest.SendAsync(
            HttpMethod.Post, path, JsonContent.Create(new { note = note.ToString(), customer_note = false }), "order note", cancellationToken, onlyRetryRefused: true);
        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    /// <summary>A refund OrderFlow made through Stripe, recorded on the order (api_refund false: the money already moved).</summary>
    private async Task RefundAsync(string id, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var amount = request.Amount ?? throw new ArgumentException("A refund write needs the amount.", nameof(request));
        var marker = WriteBackOps.Marker(request.Key);
        if (await WooCommerceOrderRefunds.FindAsync(rest, id, marker, cancellationToken) is not null)
        {
            LogAlreadyThere(request.Order.Order.OrderId, request.Key);
            return;
        }

        await WooCommerceOrderRefunds.CreateAsync(rest, id, amount, $"Refunded {amount} via Stripe by OrderFlow {marker}", throughGateway: false, cancellationToken);
        LogWritten(request.Order.Order.OrderId, request.Key);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce: order {OrderId} {Key} written back")]
    private partial void LogWritten(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce: order {OrderId} already has {Key}; nothing written")]
    private partial void LogAlreadyThere(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WooCommerce: order {OrderId} is {Status} there; {Op} not applied")]
    private partial void LogLeftAlone(string orderId, string op, string status);
}
