using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Api.Tests.Email;

public sealed class NotificationPreviewHandlerTests
{
    private readonly NotificationPreviewHandler handler = new(new SampleEmailPreviews(Microsoft.Extensions.Options.Options.Create(Branded()), TestStore.StatusLinks()));

    public static TheoryData<string> Templates() => [.. CustomerEmailRenderer.TemplateNames];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Get_EveryTemplateAsHtml_RendersWithStoreBranding(string template)
    {
        var result = Assert.IsType<ContentHttpResult>(handler.Get(template, "html"));

        Assert.Equal("text/html; charset=utf-8", result.ContentType);
        Assert.Null(result.StatusCode);
        Assert.StartsWith("<!DOCTYPE html>", result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://cdn.shop.example.com/logo.png\" alt=\"Demo Store\"", result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:support@shop.example.com\"", result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("#1001", result.ResponseContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_ShippedAsText_StartsWithSubjectAndShowsSampleTracking()
    {
        var result = Assert.IsType<ContentHttpResult>(handler.Get("shipped", "text"));

        Assert.Equal("text/plain; charset=utf-8", result.ContentType);
        Assert.StartsWith("Subject: Your Demo Store order #1001 has shipped" + Environment.NewLine, result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("Tracking number: SBX100101", result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("Track your parcel: https://tracking.example/SBX100101", result.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("$12.50 each, $25.00", handler.Get("order-confirmed", "TEXT") is ContentHttpResult c ? c.ResponseContent : null, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_NoFormat_DefaultsToHtml()
    {
        var result = Assert.IsType<ContentHttpResult>(handler.Get("on-hold", null));

        Assert.Equal("text/html; charset=utf-8", result.ContentType);
    }

    [Fact]
    public void Get_UnknownTemplate_Is404ListingKnownTemplates()
    {
        var result = Assert.IsType<ProblemHttpResult>(handler.Get("shiped", "html"));

        Assert.Equal(StatusCodes.Status404NotFound, result.StatusCode);
        var templates = Assert.IsAssignableFrom<IEnumerable<string>>(result.ProblemDetails.Extensions["templates"]);
        Assert.Equal(CustomerEmailRenderer.TemplateNames, templates);
        Assert.Contains("partially-shipped", result.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains("'shiped'", result.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownFormat_Is400()
    {
        var result = Assert.IsType<ProblemHttpResult>(handler.Get("shipped", "pdf"));

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
    }

    [Fact]
    public void AddOrderFlowApi_WithIntegrations_BadBrandingFailsStartupValidation()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:FromAddress"] = "orders@shop.example.com",
            ["Store:StoreName"] = "Demo Store",
            ["Store:SupportEmail"] = "support@shop.example.com",
            ["Store:HelpUrl"] = "https://shop.example.com/help",
            ["Store:OrderStatusBaseUrl"] = "https://shop.example.com/orders",
            ["Store:PrimaryColor"] = "blue",
            ["Store:Locale"] = "xx-QQ",
            ["Cases:ApproverEmail"] = "approver@shop.example.com",
            ["Approvals:SigningKey"] = TestApprovals.SigningKey,
            ["Approvals:PublicBaseUrl"] = TestApprovals.PublicBaseUrl,
            ["Operations:OperatorKey"] = "test-operator-key-0123456789abcdef0123",
            ["Intake:ShopifyWebhookSecret"] = "test-shopify-secret",
            ["Intake:FulfillmentCallbackSecret"] = "test-fulfillment-secret",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowIntegrations(configuration).AddOrderFlowApi(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Store:PrimaryColor", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Store:Locale", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(provider.GetRequiredService<NotificationPreviewHandler>());
    }

    private static StoreOptions Branded()
    {
        var store = TestStore.Options();
        store.LogoUrl = "https://cdn.shop.example.com/logo.png";
        store.SupportPhone = "+1 212-555-0100";
        return store;
    }
}
