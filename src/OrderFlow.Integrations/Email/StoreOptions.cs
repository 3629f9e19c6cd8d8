namespace OrderFlow.Integrations.Email;

/// <summary>The store's name, branding and support paths shown in every customer email, section "Store".</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";
    public const string DefaultPrimaryColor = "#1A56DB";
    public const string DefaultLocale = "en-US";

    public string StoreName { get; set; } = string.Empty;

    /// <summary>Where customers write; also the Reply-To of customer emails.</summary>
    public string SupportEmail { get; set; } = string.Empty;

    public string HelpUrl { get; set; } = string.Empty;

    /// <summary>Base of the order status page; the order id is appended as the last path segment.</summary>
    public string OrderStatusBaseUrl { get; set; } = string.Empty;

    /// <summary>Absolute http(s) URL of the logo shown at the top of emails; without it the store name is shown.</summary>
    public string? LogoUrl { get; set; }

    /// <summary>Accent color of headings, links and buttons: "#RRGGBB" or "#RGB".</summary>
    public string PrimaryColor { get; set; } = DefaultPrimaryColor;

    /// <summary>Support phone number as customers should read it, e.g. "+1 212-555-0100"; optional.</summary>
    public string? SupportPhone { get; set; }

    /// <summary>
    /// The store's locale (a specific culture such as "en-US"): amounts and dates are written in it, and in the
    /// customer's own locale when that shares the store's language.
    /// </summary>
    public string Locale { get; set; } = DefaultLocale;

    public string OrderStatusUrl(string orderId) => $"{OrderStatusBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(orderId)}";
}
