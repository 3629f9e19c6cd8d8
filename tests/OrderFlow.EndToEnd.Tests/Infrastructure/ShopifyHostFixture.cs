namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A host process with Channels:Shopify credentials, its Admin API played by <see cref="ShopifyAdminFake"/> (reached
/// through Channels:Shopify:AdminBaseUrl), and a one-second Channels:SyncInterval so write-backs go out promptly. The
/// environment is Staging: a plain-http AdminBaseUrl is refused in Production. One per test class; every test uses
/// its own Shopify order id. The payment adapter is Stripe, as in production, so the money of a Shopify-held payment
/// moves through Shopify's Admin API (refundCreate); Stripe's API base is the same WireMock server, which answers only
/// the Stripe routes a test stubs (<see cref="StripeApiStubs"/>) for an order paid through Stripe.
/// </summary>
public sealed class ShopifyHostFixture : OrderFlowHostFixture
{
    public const string AccessToken = "shpat_e2e_0123456789abcdef0123456789";

    public ShopifyAdminFake Shopify { get; } = new(AccessToken);

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Shopify.Dispose();
        }
    }

    protected override void AddSettings(IDictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Staging";
        environment["Adapters__Payment"] = "Stripe";
        environment["Stripe__ApiKey"] = "sk_test_e2e_shopify_0123456789abcdef";
        environment["Stripe__ApiBase"] = Shopify.Url;
        environment["Stripe__WebhookSecret"] = "whsec_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        environment["Channels__Shopify__ShopDomain"] = "orderflow-e2e.myshopify.com";
        environment["Channels__Shopify__AccessToken"] = AccessToken;
        environment["Channels__Shopify__ApiVersion"] = ShopifyAdminFake.ApiVersion;
        environment["Channels__Shopify__AdminBaseUrl"] = Shopify.Url;
        environment["Channels__Shopify__Locations"] = $"{Stock.East}=gid://shopify/Location/1;{Stock.West}=gid://shopify/Location/2";
        environment["Channels__SyncInterval"] = "00:00:01";
    }
}
