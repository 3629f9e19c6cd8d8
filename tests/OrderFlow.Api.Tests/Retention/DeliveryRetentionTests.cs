using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Api.Options;
using OrderFlow.Api.Retention;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Retention;

public sealed class DeliveryRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunIfDueAsync_ConfiguredDays_PurgesBeforeNowMinusDays()
    {
        var store = new FakeDeliveryRetentionStore();

        Assert.True(await Retention(store, days: 30).RunIfDueAsync(Now, CancellationToken.None));

        Assert.Equal([Now.AddDays(-30)], store.Cutoffs);
    }

    [Fact]
    public async Task RunIfDueAsync_CalledAgainWithinTheInterval_SkipsUntilItIsDue()
    {
        var store = new FakeDeliveryRetentionStore();
        var retention = Retention(store, days: 90);

        await retention.RunIfDueAsync(Now, CancellationToken.None);
        Assert.False(await retention.RunIfDueAsync(Now.AddMinutes(15), CancellationToken.None));
        Assert.True(await retention.RunIfDueAsync(Now + DeliveryRetention.PassInterval, CancellationToken.None));

        Assert.Equal([Now.AddDays(-90), (Now + DeliveryRetention.PassInterval).AddDays(-90)], store.Cutoffs);
    }

    [Fact]
    public async Task RunIfDueAsync_StoreFails_ReturnsFalseAndRetriesOnTheNextCall()
    {
        var store = new FakeDeliveryRetentionStore { FailNext = true };
        var retention = Retention(store, days: 90);

        Assert.False(await retention.RunIfDueAsync(Now, CancellationToken.None));
        Assert.True(await retention.RunIfDueAsync(Now.AddMinutes(15), CancellationToken.None));
    }

    [Fact]
    public void Options_Default_Is90Days()
    {
        Assert.Equal(90, Resolve([]).DeliveryPayloadDays);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    public void Options_OutOfRange_FailsAtStartUpNamingTheKey(string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Retention:DeliveryPayloadDays"] = value }));

        Assert.Contains("Retention:DeliveryPayloadDays must be a whole number of days between 1 and 3650.", ex.Message, StringComparison.Ordinal);
    }

    private static DeliveryRetention Retention(IDeliveryRetentionStore store, int days) =>
        new(store, Microsoft.Extensions.Options.Options.Create(new RetentionOptions { DeliveryPayloadDays = days }), NullLogger<DeliveryRetention>.Instance);

    private static RetentionOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrderFlowApi(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RetentionOptions>>().Value;
    }
}
