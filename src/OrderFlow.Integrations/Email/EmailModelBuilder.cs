using System.Globalization;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Email.Templates;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using static OrderFlow.Workflows.Contracts.CustomerNotification;
using static OrderFlow.Workflows.Notifications.CustomerView;

namespace OrderFlow.Integrations.Email;

/// <summary>Maps an order record and a notification to the template model: every amount and date formatted, no nulls.</summary>
public static class EmailModelBuilder
{
    /// <param name="statusUrl">The order's signed status link (<see cref="OrderStatusLinkSigner.LinkFor"/>).</param>
    public static EmailModel Build(OrderRecord record, CustomerNotification notification, StoreOptions store, CultureInfo culture, string statusUrl)
    {
        var order = record.Order;
        return new EmailModel(
            StoreOf(store, culture),
            new CustomerModel(order.Customer.FirstName?.Trim() ?? string.Empty),
            OrderOf(order, statusUrl, culture),
            ShipmentOf(record, notification),
            DetailsOf(order, notification, culture));
    }

    private static StoreModel StoreOf(StoreOptions store, CultureInfo culture)
    {
        var phone = store.SupportPhone?.Trim() ?? string.Empty;
        var dial = new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        var color = store.PrimaryColor is { Length: 4 or 7 } c && c[0] == '#' && c[1..].All(char.IsAsciiHexDigit)
            ? c
            : StoreOptions.DefaultPrimaryColor;
        return new StoreModel(
            store.StoreName,
            culture.TwoLetterISOLanguageName,
            string.IsNullOrWhiteSpace(store.LogoUrl) ? string.Empty : SafeUrl(store.LogoUrl),
            color,
            store.SupportEmail,
            phone,
            dial.Length == 0 ? string.Empty : "tel:" + dial,
            store.HelpUrl);
    }

    private static OrderModel OrderOf(Order order, string statusUrl, CultureInfo culture)
    {
        string F(Money m) => CurrencyFormatter.Format(m, culture);
        var t = order.Totals;
        var totals = new List<AmountModel> { new("Subtotal", F(t.Subtotal), false) };
        if (t.Discount.MinorUnits != 0)
        {
            totals.Add(new("Discount", F(new Money(-Math.Abs(t.Discount.MinorUnits), t.Discount.Currency)), false));
        }

        totals.Add(new("Shipping", F(t.Shipping), false));
        totals.Add(new("Tax", F(t.Tax), false));
        totals.Add(new("Total", F(t.Total), true));

        return new OrderModel(
            order.OrderNumber,
            SafeUrl(statusUrl),
            order.Lines.Select(l => new LineModel(TitleOf(order, l.Sku, l.Title), l.Quantity, F(l.UnitPrice), F(l.Total))).ToList(),
            totals,
            F(t.Total),
            AddressText(order.ShippingAddress));
    }

    private static ShipmentModel ShipmentOf(OrderRecord record, CustomerNotification notification)
    {
        var needsParcel = notification.Milestone is Milestone.Shipped or Milestone.OutForDelivery or Milestone.Delivered;
        if (notification.FulfillmentId is null)
        {
            return needsParcel
                ? throw new InvalidOperationException($"A {notification.Milestone} email names a fulfillment; notification {notification.Key} has none.")
                : ShipmentModel.None;
        }

        var fulfillment = record.Fulfillments.FirstOrDefault(f => f.FulfillmentId == notification.FulfillmentId)
            ?? throw new InvalidOperationException($"Order {record.Order.OrderId} has no fulfillment {notification.FulfillmentId} to announce.");
        var parcels = Parcels(record);
        var index = parcels.ToList().FindIndex(f => f.FulfillmentId == fulfillment.FulfillmentId);
        return new ShipmentModel(
            true,
            index < 0 ? 1 : index + 1,
            Math.Max(parcels.Count, 1),
            fulfillment.Carrier ?? string.Empty,
            fulfillment.TrackingNumber ?? string.Empty,
            SafeUrl(fulfillment.TrackingUrl),
            fulfillment.Lines.Select(l => new ItemModel(TitleOf(record.Order, l.Sku, null), l.Quantity)).ToList());
    }

    private static DetailsModel DetailsOf(Order order, CustomerNotification notification, CultureInfo culture)
    {
        var details = notification.Details;
        if (details is null || details.Count == 0)
        {
            return DetailsModel.None;
        }

        string Get(string key) => details.TryGetValue(key, out var value) ? value.Trim() : string.Empty;

        return new DetailsModel(
            ReasonCode(Get(DetailKeys.Reason)),
            ItemsOf(order, Get(DetailKeys.Items), notification),
            Get(DetailKeys.SubstituteTitle),
            AmountOf(order, Get(DetailKeys.Amount), notification, culture),
            DateOf(Get(DetailKeys.PromisedDate), DetailKeys.PromisedDate, notification, culture),
            DateOf(Get(DetailKeys.ExpectedDate), DetailKeys.ExpectedDate, notification, culture),
            DateOf(Get(DetailKeys.OccurredOn), DetailKeys.OccurredOn, notification, culture),
            SafeUrl(Get(DetailKeys.DownloadUrl)));
    }

    // Codes are matched by templates, never printed; anything that is not a plain code counts as none.
    private static string ReasonCode(string value)
    {
        var code = value.ToLowerInvariant();
        return code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? code : string.Empty;
    }

    private static List<ItemModel> ItemsOf(Order order, string value, CustomerNotification notification)
    {
        var items = new List<ItemModel>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity <= 0)
            {
                throw Invalid(notification, DetailKeys.Items, "\"SKU:quantity\" pairs separated by commas");
            }

            items.Add(new ItemModel(TitleOf(order, entry[..colon], null), quantity));
        }

        return items;
    }

    private static string AmountOf(Order order, string value, CustomerNotification notification, CultureInfo culture)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minorUnits)
            ? CurrencyFormatter.Format(new Money(minorUnits, order.Currency), culture)
            : throw Invalid(notification, DetailKeys.Amount, $"a non-negative whole number of {order.Currency} minor units");
    }

    private static string DateOf(string value, string key, CustomerNotification notification, CultureInfo culture)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("D", culture)
            : throw Invalid(notification, key, "an ISO date, yyyy-MM-dd");
    }

    private static InvalidOperationException Invalid(CustomerNotification notification, string key, string expected) =>
        new($"Notification {notification.Key}: detail '{key}' must be {expected}.");

    private static string TitleOf(Order order, string sku, string? title) =>
        !string.IsNullOrWhiteSpace(title) ? title
        : order.Lines.FirstOrDefault(l => l.Sku == sku)?.Title is { Length: > 0 } known ? known
        : sku;

    private static string AddressText(Address a) =>
        string.Join(", ", new[] { a.Name, a.Line1, a.Line2, a.City, string.Join(" ", new[] { a.Province, a.PostalCode }.Where(s => !string.IsNullOrWhiteSpace(s))), a.CountryCode }
            .Where(s => !string.IsNullOrWhiteSpace(s)));
}
