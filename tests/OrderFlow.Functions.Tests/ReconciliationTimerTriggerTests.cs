using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Functions.Reconciliation;
using OrderFlow.Functions.Triggers;

namespace OrderFlow.Functions.Tests;

/// <summary>The daily reconciliation timer reads its schedule from an app setting that the sample and the Bicep both set, and a bad one stops the app.</summary>
public sealed class ReconciliationTimerTriggerTests
{
    [Fact]
    public void Schedule_IsTheAppSettingSetInTheSampleAndTheBicep()
    {
        var method = typeof(ReconciliationTimerTrigger).GetMethod(nameof(ReconciliationTimerTrigger.ReconciliationTimer))!;
        var timer = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).Single(a => a is not null)!;

        Assert.Equal("%ReconciliationSchedule%", timer.Schedule);
        Assert.Equal("0 0 2 * * *", LocalSettingsSample.Values()[ReconciliationTimerTrigger.ScheduleSetting]);
        Assert.Contains(ReconciliationTimerTrigger.ScheduleSetting, BicepFile.Load("app.bicep").ObjectKeys("baseAppSettings"));
        Assert.Contains("ReconciliationSchedule: '0 0 2 * * *'", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "app.bicep")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 2 * * *", true)]
    [InlineData("0 30 1 * * Mon-Fri", true)]
    [InlineData("0 2 * * *", false)]
    [InlineData("", false)]
    [InlineData("every night", false)]
    public void Validate_Schedule_AcceptsSixFieldNcrontabOnly(string schedule, bool valid)
    {
        using var provider = Build(schedule);

        if (valid)
        {
            Assert.Equal(schedule, provider.GetRequiredService<IOptions<ReconciliationTimerOptions>>().Value.Schedule);
        }
        else
        {
            var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReconciliationTimerOptions>>().Value);
            Assert.Contains("ReconciliationSchedule must be an NCRONTAB expression", error.Message, StringComparison.Ordinal);
        }
    }

    private static ServiceProvider Build(string schedule)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ReconciliationSchedule"] = schedule }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowFunctions(configuration);
        return services.BuildServiceProvider();
    }
}
