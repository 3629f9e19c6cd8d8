namespace OrderFlow.Integrations.Email;

/// <summary>The store's name and support paths shown in every customer email, section "Store".</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    public string StoreName { get; set; } = string.Empty;

    /// <summary>Where customers write; also the Reply-To of customer emails.</summary>
    public string SupportEmail { get; set; } = string.Empty;

    public string HelpUrl { get; set; } = string.Empty;

    /// <summary>Base of the order status page; the order id is appended as the last path segment.</summary>
    public string OrderStatusBaseUrl { get; set; } = string.Empty;

    public string OrderStatusUrl(string orderId) => $"{OrderStatusBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(orderId)}";
}
