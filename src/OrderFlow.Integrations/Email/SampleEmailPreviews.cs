using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// <see cref="ICustomerEmailPreviews"/> over the embedded templates: <see cref="SampleNotifications"/> rendered by
/// <see cref="CustomerEmailRenderer"/> with the store's branding and a signed status link of the sample order.
/// </summary>
public sealed class SampleEmailPreviews(IOptions<StoreOptions> store, OrderStatusLinkSigner statusLinks) : ICustomerEmailPreviews
{
    public IReadOnlyList<string> TemplateNames => CustomerEmailRenderer.TemplateNames;

    public EmailContent Render(string template)
    {
        var sample = SampleNotifications.For(template, store.Value);
        return CustomerEmailRenderer.Render(sample.Record, sample.Notification, store.Value, statusLinks.LinkFor(sample.Record.Order.OrderId));
    }
}
