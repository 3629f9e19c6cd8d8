using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Host.Configuration;

namespace OrderFlow.Host.Tests.Configuration;

/// <summary>The host trusts X-Forwarded-* only from the configured proxies, checked at start-up.</summary>
public sealed class ForwardedHeadersSettingsTests
{
    [Fact]
    public void ForwardedHeadersOptions_NoSettings_TrustNoProxyNotEvenLoopback()
    {
        var options = Resolve([]);

        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Fact]
    public void ForwardedHeadersOptions_ListedProxiesAndNetworks_AreTrustedForForAndProto()
    {
        var options = Resolve(new()
        {
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.4, 10.0.0.5",
            ["ForwardedHeaders:KnownNetworks"] = "192.168.0.0/16",
        });

        Assert.Equal(["10.0.0.4", "10.0.0.5"], options.KnownProxies.Select(p => p.ToString()));
        Assert.Equal("192.168.0.0/16", Assert.Single(options.KnownIPNetworks).ToString());
        Assert.Equal(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.4, proxy.local", "ForwardedHeaders:KnownProxies: 'proxy.local' is not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks: '10.0.0.0/33' is not a network in CIDR notation")]
    public void Validate_BadEntry_FailsNamingTheKey(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static ForwardedHeadersOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrderFlowHost(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
    }
}
