using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Notifications;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Store branding used by the email tests.</summary>
public static class TestStore
{
    public static StoreOptions Options() => new()
    {
        StoreName = "Demo Store",
        SupportEmail = "support@shop.example.com",
        HelpUrl = "https://shop.example.com/help",
        OrderStatusBaseUrl = "https://shop.example.com/orders/",
    };

    /// <summary>The signer of the customer status links for <see cref="Options"/> and the test approvals key.</summary>
    public static OrderStatusLinkSigner StatusLinks(TimeProvider? clock = null) =>
        new(MsOptions.Create(Options()), MsOptions.Create(TestApprovals.Options()), clock ?? TimeProvider.System);
}
