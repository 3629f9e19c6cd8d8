namespace OrderFlow.Integrations.Accounting;

/// <summary>QuickBooks Online company, app credentials and item mapping, section "QuickBooks". Secrets: never logged.</summary>
public sealed class QuickBooksOptions
{
    public const string Section = "QuickBooks";
    public const string SandboxBaseUrl = "https://sandbox-quickbooks.api.intuit.com";
    public const string DefaultTokenUrl = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer";

    /// <summary>The documented item id QuickBooks books shipping to when the company tracks shipping on sales forms.</summary>
    public const string DefaultShippingItemId = "SHIPPING_ITEM_ID";

    /// <summary>Accounting API host; the sandbox by default, https://quickbooks.api.intuit.com for real books.</summary>
    public string BaseUrl { get; set; } = SandboxBaseUrl;

    /// <summary>Intuit's OAuth 2.0 token endpoint (tests point it at a stub).</summary>
    public string TokenUrl { get; set; } = DefaultTokenUrl;

    /// <summary>The company (realm) id.</summary>
    public string RealmId { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The refresh token the company's consent produced. Intuit rotates it: the newest one is kept in the OAuthTokens
    /// table, and a different value set here (a new consent) replaces the stored one.
    /// </summary>
    public string RefreshToken { get; set; } = "";

    /// <summary>The API minor version every call asks for.</summary>
    public int MinorVersion { get; set; } = 75;

    /// <summary>The customer every sale and refund is booked to (a "Web store" customer: no customer data is sent).</summary>
    public string CustomerId { get; set; } = "";

    /// <summary>The account sales are deposited to and refunds are paid from (for example the payment provider's clearing account).</summary>
    public string DepositAccountId { get; set; } = "";

    /// <summary>Item for SKUs that <see cref="Items"/> does not map, and for refunds and revenue booked without lines.</summary>
    public string DefaultItemId { get; set; } = "";

    /// <summary>
    /// SKU -> QuickBooks item id as "SKU=id" pairs separated by ';' ("MUG-01=11;TEE-02=12"). One setting rather than one
    /// per SKU, because app setting names cannot hold the characters SKUs and tax names use.
    /// </summary>
    public string Items { get; set; } = "";

    public string ShippingItemId { get; set; } = DefaultShippingItemId;

    /// <summary>Account of the discount line; empty: the company's default discount account.</summary>
    public string DiscountAccountId { get; set; } = "";

    /// <summary>Tax code on product and shipping lines (US companies: TAX or NON); empty: none.</summary>
    public string LineTaxCodeId { get; set; } = "";

    /// <summary>Transaction tax code (TxnTaxCodeRef); empty: none.</summary>
    public string TaxCodeId { get; set; } = "";

    /// <summary>Tax jurisdiction name -> QuickBooks TaxRate id, for one TaxLine per jurisdiction ("NY State Tax=7;NYC Tax=8").</summary>
    public string TaxRates { get; set; } = "";

    /// <summary>TaxRate id for tax whose jurisdiction is unknown or not in <see cref="TaxRates"/>; empty: such tax is booked as the total only.</summary>
    public string DefaultTaxRateId { get; set; } = "";

    /// <summary><see cref="Items"/> parsed (case-insensitive SKUs).</summary>
    public IReadOnlyDictionary<string, string> ItemIds => Pairs(Items, null, null);

    /// <summary><see cref="TaxRates"/> parsed (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, string> TaxRateIds => Pairs(TaxRates, null, null);

    /// <summary>Parses "name=id;name=id"; each malformed pair is reported to <paramref name="failures"/> under <paramref name="key"/>.</summary>
    internal static Dictionary<string, string> Pairs(string? text, string? key, List<string>? failures)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.LastIndexOf('=');
            var name = at > 0 ? pair[..at].Trim() : "";
            var id = at > 0 ? pair[(at + 1)..].Trim() : "";
            if (name.Length == 0 || id.Length == 0 || !map.TryAdd(name, id))
            {
                failures?.Add($"{key} entry '{pair}' must be 'name=id', once per name (pairs separated by ';').");
            }
        }

        return map;
    }
}
