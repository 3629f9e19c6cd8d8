using OrderFlow.Integrations.Email.Templates;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Renders the customer email for a milestone (subject, text, HTML) from the Liquid templates in
/// <see cref="EmailTemplateSet"/>, in the culture of <see cref="EmailCulture.Resolve"/>.
/// </summary>
public static class CustomerEmailRenderer
{
    /// <summary>Shipped, when the order goes out in more than one parcel.</summary>
    public const string PartiallyShipped = "partially-shipped";

    private static readonly Dictionary<Milestone, string> Templates = new()
    {
        [Milestone.OrderConfirmed] = "order-confirmed",
        [Milestone.PaymentProblem] = "payment-problem",
        [Milestone.OnHold] = "on-hold",
        [Milestone.Backordered] = "backordered",
        [Milestone.Substituted] = "substituted",
        [Milestone.Delayed] = "delayed",
        [Milestone.Shipped] = "shipped",
        [Milestone.OutForDelivery] = "out-for-delivery",
        [Milestone.Delivered] = "delivered",
        [Milestone.Cancelled] = "cancelled",
        [Milestone.ReturnReceived] = "return-received",
        [Milestone.Refunded] = "refunded",
        [Milestone.Resumed] = "resumed",
    };

    /// <summary>Names of the embedded templates (what the preview endpoint accepts).</summary>
    public static IReadOnlyList<string> TemplateNames => EmailTemplateSet.Embedded.Names;

    /// <summary>The template a notification is written with.</summary>
    public static string TemplateFor(OrderRecord record, CustomerNotification notification)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Milestone == Milestone.Shipped && CustomerView.Parcels(record).Count > 1)
        {
            return PartiallyShipped;
        }

        return Templates.TryGetValue(notification.Milestone, out var template)
            ? template
            : throw new ArgumentOutOfRangeException(nameof(notification), notification.Milestone, "No email template for this milestone.");
    }

    /// <param name="statusUrl">The order's signed status link (<see cref="OrderStatusLinkSigner.LinkFor"/>), never the operator route.</param>
    public static EmailContent Render(OrderRecord record, CustomerNotification notification, StoreOptions store, string statusUrl) =>
        Render(EmailTemplateSet.Embedded, record, notification, store, statusUrl);

    public static EmailContent Render(EmailTemplateSet templates, OrderRecord record, CustomerNotification notification, StoreOptions store, string statusUrl)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(store);
        var template = TemplateFor(record, notification);
        var culture = EmailCulture.Resolve(record.Order.Customer.Locale, store.Locale);
        return templates.Render(template, EmailModelBuilder.Build(record, notification, store, culture, statusUrl), culture);
    }
}
