using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The customer email templates rendered with a sample order and this store's branding, for the preview endpoint.
/// Sample data only, never a customer's.
/// </summary>
public interface ICustomerEmailPreviews
{
    /// <summary>Names of the templates a preview can be asked for.</summary>
    IReadOnlyList<string> TemplateNames { get; }

    /// <summary>The template (one of <see cref="TemplateNames"/>) rendered for the sample order.</summary>
    EmailContent Render(string template);
}
