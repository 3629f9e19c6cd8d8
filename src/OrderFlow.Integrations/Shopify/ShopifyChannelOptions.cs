namespace OrderFlow.Integrations.Shopify;

/// <summary>The Shopify store whose inventory OrderFlow keeps in step, section "Channels:Shopify". The token is never logged.</summary>
public sealed class ShopifyChannelOptions
{
    public const string DefaultApiVersion = "2026-04";

    /// <summary>The shop's myshopify domain, e.g. my-store.myshopify.com. Empty: the Shopify channel is off.</summary>
    public string ShopDomain { get; set; } = string.Empty;

    /// <summary>Admin API access token of the app (write_inventory, read_products; read_orders, write_orders to capture and refund Shopify-held payments). A secret: Key Vault on Azure.</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>GraphQL Admin API version; 2026-01 or later (changeFromQuantity and @idempotent).</summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>
    /// OrderFlow location to Shopify location, "WH-EAST=gid://shopify/Location/1;WH-WEST=2" (a bare number means that
    /// location id). Unmapped OrderFlow locations are not synced; locations mapped to the same Shopify location add up.
    /// </summary>
    public string Locations { get; set; } = string.Empty;

    /// <summary>
    /// Writes OrderFlow's order facts back to the shop (fulfillments with tracking, cancellation, the orderflow:on-hold tag)
    /// so the merchant's admin and the customer see them. On by default; needs write_orders and write_merchant_managed_fulfillment_orders.
    /// </summary>
    public bool WriteBack { get; set; } = true;

    /// <summary>
    /// Where the Admin API is reached instead of https://{ShopDomain}/ (absolute URL; the API paths go under it). Empty
    /// (the default): the shop itself. For a test double or a proxy; plain http is refused in the Production environment.
    /// </summary>
    public string AdminBaseUrl { get; set; } = string.Empty;

    public bool Enabled => !string.IsNullOrWhiteSpace(ShopDomain);

    /// <summary>The Admin API's base address with a trailing slash: <see cref="AdminBaseUrl"/> when set, else https://{ShopDomain}/.</summary>
    public Uri AdminBaseAddress()
    {
        var url = string.IsNullOrWhiteSpace(AdminBaseUrl) ? $"https://{ShopDomain.Trim()}/" : AdminBaseUrl.Trim();
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    /// <summary>The parsed <see cref="Locations"/>: OrderFlow location -> Shopify location GID. Throws on a malformed entry.</summary>
    public IReadOnlyDictionary<string, string> LocationMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Locations.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || LocationGid(parts[1]) is not { } gid || !map.TryAdd(parts[0], gid))
            {
                throw new FormatException($"Channels:Shopify:Locations entry '{entry}' must be 'OrderFlowLocation=gid://shopify/Location/<id>' (or '=<id>'), each OrderFlow location once.");
            }
        }

        return map;
    }

    private static string? LocationGid(string value)
    {
        const string Prefix = "gid://shopify/Location/";
        var id = value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : value;
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? Prefix + id : null;
    }
}
