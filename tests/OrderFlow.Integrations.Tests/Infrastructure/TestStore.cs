using OrderFlow.Integrations.Email;

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
}
