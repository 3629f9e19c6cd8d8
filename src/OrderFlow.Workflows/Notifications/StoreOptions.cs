namespace OrderFlow.Workflows.Notifications;

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

    /// <summary>
    /// Base of the customer's order status page; customer emails link to
    /// "{base}/{orderId}/status?expires=..&amp;sig=.." (see <see cref="OrderStatusLinkSigner"/>), normally ".../api/orders".
    /// </summary>
    public string OrderStatusBaseUrl { get; set; } = string.Empty;

    /// <summary>
    /// HMAC key of the status links (at least 32 characters); optional: without it a sub-key is derived from
    /// Approvals:SigningKey. Set it to rotate status links independently of approval links.
    /// </summary>
    public string? StatusLinkKey { get; set; }

    /// <summary>How long the status link in a customer email works (rounded up to the next UTC midnight).</summary>
    public TimeSpan StatusLinkLifetime { get; set; } = TimeSpan.FromDays(90);

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
}
