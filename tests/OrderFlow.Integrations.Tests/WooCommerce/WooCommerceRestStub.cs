using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.WooCommerce;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.WooCommerce;

/// <summary>A WireMock server playing a WooCommerce store's REST API v3 (a test key pair), and the production client pointed at it.</summary>
internal static class WooCommerceRestStub
{
    public const string Key = "ck_4a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    public const string Secret = "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f098765432";

    /// <summary>The Authorization header WooCommerce receives: HTTP Basic with the key pair.</summary>
    public static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Key}:{Secret}"));

    public static IResponseBuilder Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body);

    /// <summary>
    /// The channels as production registers them, with the store URL at the stub's loopback http address (which validation
    /// allows); <paramref name="configured"/> false leaves WooCommerce off. Retries log to <paramref name="logger"/>.
    /// </summary>
    public static ServiceProvider Build(WireMockServer server, ILogger<WooCommerceInventoryChannel> logger, bool configured = true)
    {
        var settings = new Dictionary<string, string?>();
        if (configured)
        {
            settings["Channels:WooCommerce:StoreUrl"] = server.Url;
            settings["Channels:WooCommerce:ConsumerKey"] = Key;
            settings["Channels:WooCommerce:ConsumerSecret"] = Secret;
        }

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(logger);
        services.AddSingleton(TimeProvider.System);
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
