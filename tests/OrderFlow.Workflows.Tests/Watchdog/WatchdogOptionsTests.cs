using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Tests.Watchdog;

/// <summary>Watchdog settings: defaults, per-status keys replacing defaults one by one, and start-up messages naming the key.</summary>
public sealed class WatchdogOptionsTests
{
    [Fact]
    public void Thresholds_Defaults_HourForEarlyStatuses_WeekForShipping_BackorderedAndOnHoldOff()
    {
        var thresholds = new WatchdogOptions().Thresholds().ToDictionary(t => t.Status, t => t.After);

        Assert.Equal(TimeSpan.FromHours(1), thresholds[OrderStatus.Received]);
        Assert.Equal(TimeSpan.FromHours(1), thresholds[OrderStatus.Validated]);
        Assert.Equal(TimeSpan.FromHours(1), thresholds[OrderStatus.PaymentConfirmed]);
        Assert.Equal(TimeSpan.FromHours(1), thresholds[OrderStatus.Reserved]);
        Assert.Equal(TimeSpan.FromDays(7), thresholds[OrderStatus.InFulfillment]);
        Assert.Equal(TimeSpan.FromDays(7), thresholds[OrderStatus.PartiallyFulfilled]);
        Assert.DoesNotContain(OrderStatus.Backordered, thresholds.Keys);
        Assert.DoesNotContain(OrderStatus.OnHold, thresholds.Keys);
        Assert.DoesNotContain(OrderStatus.Fulfilled, thresholds.Keys);
        Assert.DoesNotContain(OrderStatus.Cancelled, thresholds.Keys);
    }

    [Fact]
    public void Bind_OneStatusConfigured_ReplacesOnlyThatDefault_ZeroTurnsAStatusOff()
    {
        var options = Resolve(new()
        {
            ["Watchdog:Interval"] = "00:05:00",
            ["Watchdog:StuckAfter:Reserved"] = "00:30:00",
            ["Watchdog:StuckAfter:InFulfillment"] = "00:00:00",
            ["Watchdog:StuckAfter:Backordered"] = "60.00:00:00",
        });

        var thresholds = options.Thresholds().ToDictionary(t => t.Status, t => t.After);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Interval);
        Assert.Equal(TimeSpan.FromMinutes(30), thresholds[OrderStatus.Reserved]);
        Assert.Equal(TimeSpan.FromHours(1), thresholds[OrderStatus.Received]);
        Assert.Equal(TimeSpan.FromDays(60), thresholds[OrderStatus.Backordered]);
        Assert.DoesNotContain(OrderStatus.InFulfillment, thresholds.Keys);
    }

    [Theory]
    [InlineData("Watchdog:StuckAfter:Shipped", "01:00:00", "Watchdog:StuckAfter:Shipped: 'Shipped' is not an order status")]
    [InlineData("Watchdog:StuckAfter:3", "01:00:00", "Watchdog:StuckAfter:3: '3' is not an order status")]
    [InlineData("Watchdog:StuckAfter:Fulfilled", "01:00:00", "Watchdog:StuckAfter:Fulfilled: Fulfilled ends an order")]
    [InlineData("Watchdog:StuckAfter:Received", "00:00:10", "Watchdog:StuckAfter:Received must be 00:00:00 (off) or between")]
    [InlineData("Watchdog:StuckAfter:Received", "400.00:00:00", "Watchdog:StuckAfter:Received must be 00:00:00 (off) or between")]
    [InlineData("Watchdog:Interval", "00:00:00", "Watchdog:Interval must be between 1 second and 1 day.")]
    [InlineData("Watchdog:MaxPerPass", "0", "Watchdog:MaxPerPass must be between 1 and 10000.")]
    public void Validate_BadSetting_FailsAtStartUpNamingTheKey(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new WatchdogOptions();

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    private static WatchdogOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection()
            .AddOptions<WatchdogOptions>().Bind(configuration.GetSection(WatchdogOptions.Section)).ValidateDataAnnotations().Services
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WatchdogOptions>>().Value;
    }
}
