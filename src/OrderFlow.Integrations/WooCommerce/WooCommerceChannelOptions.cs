namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// The WooCommerce store whose stock quantities OrderFlow keeps in step, section "Channels:WooCommerce". The consumer
/// key and secret (WooCommerce > Settings > Advanced > REST API, Read/Write) are secrets and never logged.
/// </summary>
public sealed class WooCommerceChannelOptions
{
    /// <summary>The store's base address, e.g. https://shop.example.com (the REST API is under {StoreUrl}/wp-json/wc/v3/). Empty: the WooCommerce channel is off.</summary>
    public string StoreUrl { get; set; } = string.Empty;

    /// <summary>REST API consumer key (ck_...). A secret: Key Vault on Azure.</summary>
    public string ConsumerKey { get; set; } = string.Empty;

    /// <summary>REST API consumer secret (cs_...). A secret: Key Vault on Azure.</summary>
    public string ConsumerSecret { get; set; } = string.Empty;

    /// <summary>Writes OrderFlow's order facts back to the store (status completed / cancelled / on-hold, a tracking note per parcel). On by default.</summary>
    public bool WriteBack { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(StoreUrl);

    /// <summary>The store URL with a trailing slash, so relative REST paths keep a WordPress sub-directory.</summary>
    public Uri BaseAddress()
    {
        var url = StoreUrl.Trim();
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
