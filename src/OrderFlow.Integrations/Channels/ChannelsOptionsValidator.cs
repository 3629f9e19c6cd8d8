using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// Start-up checks of the Channels section; Shopify's settings are required only once its shop domain is set,
/// WooCommerce's once its store URL is set.
/// </summary>
internal sealed partial class ChannelsOptionsValidator(SecretSetting secrets) : IValidateOptions<ChannelsOptions>
{
    // changeFromQuantity and the @idempotent directive the adapter sends exist from this version on.
    private const string MinApiVersion = "2026-01";

    public ValidateOptionsResult Validate(string? name, ChannelsOptions options)
    {
        var failures = new List<string>();
        if (options.SyncInterval < TimeSpan.FromSeconds(1) || options.SyncInterval > TimeSpan.FromDays(1))
        {
            failures.Add("Channels:SyncInterval must be between 1 second and 1 day.");
        }

        if (options.FailureCaseAfter < TimeSpan.Zero || options.FailureCaseAfter > TimeSpan.FromDays(7))
        {
            failures.Add("Channels:FailureCaseAfter must be between 00:00:00 (a case at the first failed run) and 7 days.");
        }

        var shopify = options.Shopify;
        if (shopify.Enabled)
        {
            if (!ShopDomainPattern().IsMatch(shopify.ShopDomain.Trim()))
            {
                failures.Add($"Channels:Shopify:ShopDomain '{shopify.ShopDomain}' must be a host name such as my-store.myshopify.com (no scheme, no path).");
            }

            // Never echo the token. "UNSET" is what infra/app.bicep stores for a secret nobody set.
            ValidateAdminBaseUrl(shopify.AdminBaseUrl, failures);

            if (string.IsNullOrWhiteSpace(shopify.AccessToken) || string.Equals(shopify.AccessToken.Trim(), Workflows.Options.SecretSetting.UnsetPlaceholder, StringComparison.Ordinal))
            {
                failures.Add("Channels:Shopify:AccessToken is required when Channels:Shopify:ShopDomain is set.");
            }

            failures.AddRange(secrets.Check(shopify.AccessToken, "Channels:Shopify:AccessToken", SecretSetting.GeneratedKeyMinLength));

            if (!ApiVersionPattern().IsMatch(shopify.ApiVersion ?? string.Empty) || string.CompareOrdinal(shopify.ApiVersion, MinApiVersion) < 0)
            {
                failures.Add($"Channels:Shopify:ApiVersion '{shopify.ApiVersion}' must be a Shopify API version (YYYY-MM) of {MinApiVersion} or later.");
            }

            try
            {
                if (shopify.LocationMap().Count == 0)
                {
                    failures.Add("Channels:Shopify:Locations is required when Channels:Shopify:ShopDomain is set, e.g. 'WH-EAST=gid://shopify/Location/1'.");
                }
            }
            catch (FormatException ex)
            {
                failures.Add(ex.Message);
            }
        }

        ValidateWooCommerce(options.WooCommerce, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An override of the Admin API's address (a test double, a proxy): absolute http(s), https in Production.</summary>
    private void ValidateAdminBaseUrl(string adminBaseUrl, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(adminBaseUrl))
        {
            return;
        }

        const string Key = "Channels:Shopify:AdminBaseUrl";
        if (!Uri.TryCreate(adminBaseUrl.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{Key} '{adminBaseUrl}' must be an absolute http(s) address without query (leave it empty to reach https://{{ShopDomain}}/).");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && SandboxInProduction.IsProduction(secrets.EnvironmentName))
        {
            // The access token travels in every request: never in clear text from a production host.
            failures.Add($"{Key} must use https in the Production environment (it is '{adminBaseUrl}'); leave it empty to reach https://{{ShopDomain}}/.");
        }
    }

    private void ValidateWooCommerce(WooCommerce.WooCommerceChannelOptions woo, List<string> failures)
    {
        if (!woo.Enabled)
        {
            return;
        }

        // Basic auth sends the key and secret in every request: only over https (plain http only to this machine, for tests).
        if (!Uri.TryCreate(woo.StoreUrl.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"Channels:WooCommerce:StoreUrl '{woo.StoreUrl}' must be the store's https address, such as https://shop.example.com (no query; http only for a loopback address).");
        }

        const string Purpose = "the REST API key pair of WooCommerce > Settings > Advanced > REST API, Read/Write, when Channels:WooCommerce:StoreUrl is set";
        failures.AddRange(secrets.Required(woo.ConsumerKey, "Channels:WooCommerce:ConsumerKey", SecretSetting.GeneratedKeyMinLength, Purpose));
        failures.AddRange(secrets.Required(woo.ConsumerSecret, "Channels:WooCommerce:ConsumerSecret", SecretSetting.GeneratedKeyMinLength, Purpose));
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")]
    private static partial Regex ShopDomainPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}$")]
    private static partial Regex ApiVersionPattern();
}
