using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Api.Tests.Approvals;

/// <summary>Start-up validation of the approval, operations, escalation and reminder settings.</summary>
public sealed class ApprovalsOptionsValidationTests
{
    [Theory]
    [InlineData("Approvals:SigningKey", "", "Approvals:SigningKey")]
    [InlineData("Approvals:SigningKey", "UNSET", "Approvals:SigningKey")]
    [InlineData("Approvals:SigningKey", "0123456789012345678901234567890", "Approvals:SigningKey")]
    [InlineData("Approvals:PublicBaseUrl", "", "Approvals:PublicBaseUrl")]
    [InlineData("Approvals:PublicBaseUrl", "ftp://x.example.com", "Approvals:PublicBaseUrl")]
    [InlineData("Approvals:LinkLifetime", "00:00:10", "Approvals:LinkLifetime")]
    [InlineData("Operations:OperatorKey", "", "Operations:OperatorKey")]
    [InlineData("Operations:OperatorKey", "short-key", "Operations:OperatorKey")]
    [InlineData("Cases:EscalationEmail", "not-an-address", "Cases:EscalationEmail")]
    [InlineData("Workflow:CaseReminderAfter", "3.00:00:00", "Workflow:CaseReminderAfter")]
    [InlineData("Workflow:CaseReminderAfter", "4.00:00:00", "Workflow:CaseReminderAfter")]
    [InlineData("Store:StatusLinkKey", "too-short-status-key", "Store:StatusLinkKey")]
    [InlineData("Store:StatusLinkLifetime", "00:30:00", "Store:StatusLinkLifetime")]
    [InlineData("Store:StatusLinkLifetime", "401.00:00:00", "Store:StatusLinkLifetime")]
    public void StartupValidation_BadSetting_FailsNamingTheKey(string key, string value, string named)
    {
        var settings = Valid();
        settings[key] = value;

        var ex = Assert.ThrowsAny<Exception>(() => Validate(settings));

        Assert.Contains(named, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_ValidSettings_Passes()
    {
        Validate(Valid());
    }

    [Fact]
    public void StartupValidation_DedicatedStatusLinkKeyAndLifetime_Pass()
    {
        var settings = Valid();
        settings["Store:StatusLinkKey"] = "status-link-key-0123456789abcdef0123";
        settings["Store:StatusLinkLifetime"] = "30.00:00:00";

        Validate(settings);
    }

    private static void Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowIntegrations(configuration).AddOrderFlowApi(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:FromAddress"] = "orders@shop.example.com",
        ["Store:StoreName"] = "Demo Store",
        ["Store:SupportEmail"] = "support@shop.example.com",
        ["Store:HelpUrl"] = "https://shop.example.com/help",
        ["Store:OrderStatusBaseUrl"] = "https://shop.example.com/orders",
        ["Cases:ApproverEmail"] = "approver@shop.example.com",
        ["Cases:EscalationEmail"] = "escalation@shop.example.com",
        ["Approvals:SigningKey"] = TestApprovals.SigningKey,
        ["Approvals:PublicBaseUrl"] = TestApprovals.PublicBaseUrl,
        ["Operations:OperatorKey"] = "test-operator-key-0123456789abcdef0123",
        ["Intake:ShopifyWebhookSecret"] = "test-shopify-secret",
        ["Intake:FulfillmentCallbackSecret"] = "test-fulfillment-secret",
        ["Workflow:CaseDeadline"] = "3.00:00:00",
        ["Workflow:CaseReminderAfter"] = "1.00:00:00",
    };
}
