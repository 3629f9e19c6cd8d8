using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Api.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// GET /api/orders/{orderId}/status?expires=..&amp;sig=..: the customer's order status page, reached through the signed,
/// expiring link in every customer email (<see cref="OrderStatusLinkSigner"/>). A small HTML page, every value encoded,
/// no script: status, items, total and parcels with carrier and tracking link. Never the address, contact data,
/// timeline, fraud scores or case text. An altered link is 403, an expired one 410, each with a friendly page.
/// </summary>
public sealed partial class OrderStatusPageHandler(
    OrderStatusLinkSigner links,
    IOrderStore orders,
    ILogger<OrderStatusPageHandler> logger)
{
    public async Task<IResult> GetAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = links.Verify(orderId, request.Query["expires"].ToString(), request.Query["sig"].ToString());
        if (check != StatusLinkCheck.Valid)
        {
            LogRefused(check.ToString());
            return check switch
            {
                StatusLinkCheck.Expired => Refuse(StatusCodes.Status410Gone, "This order status link has expired. Every email we send about your order has a fresh link; or contact us and we will help."),
                StatusLinkCheck.BadSignature => Refuse(StatusCodes.Status403Forbidden, "This order status link is not valid (it may have been altered or cut short). Please use the link from your latest email about the order."),
                _ => Refuse(StatusCodes.Status400BadRequest, "This order status link is incomplete. Please use the whole link from your email about the order."),
            };
        }

        var record = await orders.GetAsync(orderId, cancellationToken);
        if (record is null)
        {
            return await workflows.GetStatusAsync(orderId, cancellationToken) is null
                ? Refuse(StatusCodes.Status404NotFound, "We could not find this order.")
                : new HtmlPage("Your order", StatusCodes.Status200OK).Paragraph("We have received your order and are processing it.", "note");
        }

        var order = record.Order;
        var page = new HtmlPage($"Order {order.OrderNumber}", StatusCodes.Status200OK)
            .Paragraph(Describe(record.Status), "note")
            .Heading("Items")
            .Rows(order.Lines.Select(l => ($"{l.Quantity} x {l.Title}", Currencies.Format(l.Total.MinorUnits, l.Total.Currency)))
                .Append(("Total", Currencies.Format(order.Totals.Total.MinorUnits, order.Totals.Total.Currency))));

        var parcels = CustomerView.Parcels(record);
        if (parcels.Count > 0)
        {
            page.Heading("Parcels");
            var html = new StringBuilder("<table>");
            for (var i = 0; i < parcels.Count; i++)
            {
                var f = parcels[i];
                var items = string.Join(", ", f.Lines.Select(l => $"{l.Quantity} x {order.Lines.FirstOrDefault(o => o.Sku == l.Sku)?.Title ?? l.Sku}"));
                var tracking = CustomerView.SafeUrl(f.TrackingUrl);
                var number = HtmlPage.Encode(f.TrackingNumber ?? string.Empty);
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>Parcel {i + 1} of {parcels.Count}</td><td>{HtmlPage.Encode(StatusText(f.Status))}</td><td>{HtmlPage.Encode(items)}</td><td>")
                    .Append(HtmlPage.Encode(f.Carrier ?? string.Empty)).Append(' ')
                    .Append(tracking.Length == 0 ? number : $"<a href=\"{HtmlPage.Encode(tracking)}\" rel=\"noopener noreferrer\">{(number.Length == 0 ? "Track" : number)}</a>")
                    .Append("</td></tr>");
            }

            page.Markup(html.Append("</table>").ToString());
        }

        return page;
    }

    private static string Describe(OrderStatus status) => status switch
    {
        OrderStatus.Received or OrderStatus.Validated => "We have received your order and are processing it.",
        OrderStatus.PaymentConfirmed or OrderStatus.Reserved => "Your payment is confirmed and we are preparing your order.",
        OrderStatus.InFulfillment => "Your order is being packed and shipped.",
        OrderStatus.PartiallyFulfilled => "Part of your order has shipped; the rest follows.",
        OrderStatus.Fulfilled => "Your order has shipped.",
        OrderStatus.OnHold => "Your order is being reviewed; we will email you as soon as it moves on.",
        OrderStatus.Backordered => "Some items are on backorder; we will ship them as soon as they arrive.",
        OrderStatus.Cancelled => "Your order was cancelled.",
        _ => "We are processing your order.",
    };

    // Fulfillment statuses are short codes ("label-purchased", "in_transit"): shown as words, nothing else.
    private static string StatusText(string status) =>
        new string(status.Select(c => c is '-' or '_' ? ' ' : c).ToArray()).Trim();

    private static HtmlPage Refuse(int statusCode, string message) =>
        new HtmlPage("Order status", statusCode).Paragraph(message, "note");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order status link refused: {Why}")]
    private partial void LogRefused(string why);
}
