using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Renders the customer emails for each milestone (subject, text, HTML). Plain C# for now; a template engine can
/// replace it without touching the notifier.
/// </summary>
public static class CustomerEmailRenderer
{
    public static EmailContent Render(OrderRecord record, CustomerNotification notification, StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(store);
        var order = record.Order;
        var doc = new EmailDocument().Paragraph(Greeting(order.Customer));

        var subject = notification.Milestone switch
        {
            Milestone.OrderConfirmed => Confirmed(doc, order, store),
            Milestone.Shipped => Shipped(doc, record, notification, store),
            Milestone.OnHold => OnHold(doc, order, store),
            Milestone.Cancelled => Cancelled(doc, order, store),
            _ => throw new ArgumentOutOfRangeException(nameof(notification), notification.Milestone, "No email template for this milestone."),
        };

        doc.Heading("Need help?")
            .Link($"Order {order.OrderNumber} status", store.OrderStatusUrl(order.OrderId))
            .ParagraphWithLink("Reply to this email or write to ", store.SupportEmail, "mailto:" + store.SupportEmail, ".")
            .Link("Help centre", store.HelpUrl)
            .Paragraph($"Thank you for shopping with {store.StoreName}.");
        return doc.Build(subject);
    }

    private static string Confirmed(EmailDocument doc, Order order, StoreOptions store)
    {
        doc.Paragraph($"Thank you for your order {order.OrderNumber}. We have received it and are getting it ready to ship.")
            .Heading("Your order")
            .Rows(order.Lines.Select(LineRow))
            .Rows(TotalRows(order), emphasizeLast: true)
            .Heading("Shipping to")
            .Paragraph(AddressText(order.ShippingAddress));
        return $"Your {store.StoreName} order {order.OrderNumber} is confirmed";
    }

    private static string Shipped(EmailDocument doc, OrderRecord record, CustomerNotification notification, StoreOptions store)
    {
        var order = record.Order;
        var fulfillment = record.Fulfillments.FirstOrDefault(f => f.FulfillmentId == notification.FulfillmentId)
            ?? throw new InvalidOperationException($"Order {order.OrderId} has no fulfillment {notification.FulfillmentId} to announce.");
        var split = record.Fulfillments.Count > 1;

        doc.Paragraph(split
                ? $"A parcel from your order {order.OrderNumber} is on its way. The rest of your order ships separately."
                : $"Good news: your order {order.OrderNumber} is on its way.")
            .Heading("In this parcel")
            .Rows(fulfillment.Lines.Select(l => ($"{l.Quantity} x {TitleOf(order, l.Sku)}", string.Empty)));

        if (!string.IsNullOrWhiteSpace(fulfillment.TrackingNumber))
        {
            doc.Heading("Tracking")
                .Rows([("Carrier", fulfillment.Carrier ?? string.Empty), ("Tracking number", fulfillment.TrackingNumber)]);
            if (!string.IsNullOrWhiteSpace(fulfillment.TrackingUrl))
            {
                doc.Link("Track your parcel", fulfillment.TrackingUrl);
            }
        }

        return split
            ? $"Part of your {store.StoreName} order {order.OrderNumber} has shipped"
            : $"Your {store.StoreName} order {order.OrderNumber} has shipped";
    }

    private static string OnHold(EmailDocument doc, Order order, StoreOptions store)
    {
        // Neutral on purpose: the customer is never told why (fraud review, address check, stock).
        doc.Paragraph($"We are taking a closer look at your order {order.OrderNumber} before it ships. You do not need to do anything right now; we will email you as soon as it is on its way.")
            .Paragraph("If you have any questions in the meantime, our team is happy to help.");
        return $"An update on your {store.StoreName} order {order.OrderNumber}";
    }

    private static string Cancelled(EmailDocument doc, Order order, StoreOptions store)
    {
        doc.Paragraph($"Your order {order.OrderNumber} has been cancelled and will not ship.")
            .Paragraph("If you were charged for this order, the amount is refunded to your original payment method.")
            .Heading("Cancelled items")
            .Rows(order.Lines.Select(LineRow))
            .Rows([("Order total", Format(order.Totals.Total))], emphasizeLast: true);
        return $"Your {store.StoreName} order {order.OrderNumber} has been cancelled";
    }

    private static string Greeting(Customer customer) =>
        string.IsNullOrWhiteSpace(customer.DisplayName) ? "Hello," : $"Hi {customer.DisplayName.Trim()},";

    private static (string, string) LineRow(LineItem line) =>
        ($"{line.Quantity} x {line.Title}", line.Quantity == 1 ? Format(line.Total) : $"{Format(line.UnitPrice)} each, {Format(line.Total)}");

    private static IEnumerable<(string, string)> TotalRows(Order order)
    {
        var t = order.Totals;
        yield return ("Subtotal", Format(t.Subtotal));
        if (t.Discount.MinorUnits != 0)
        {
            yield return ("Discount", "-" + Format(t.Discount));
        }

        yield return ("Shipping", Format(t.Shipping));
        yield return ("Tax", Format(t.Tax));
        yield return ("Total", Format(t.Total));
    }

    private static string TitleOf(Order order, string sku) =>
        order.Lines.FirstOrDefault(l => l.Sku == sku)?.Title is { Length: > 0 } title ? title : sku;

    private static string AddressText(Address a) =>
        string.Join(", ", new[] { a.Name, a.Line1, a.Line2, a.City, string.Join(" ", new[] { a.Province, a.PostalCode }.Where(s => !string.IsNullOrWhiteSpace(s))), a.CountryCode }
            .Where(s => !string.IsNullOrWhiteSpace(s)));

    private static string Format(Money money) => Currencies.Format(money.MinorUnits, money.Currency);
}
