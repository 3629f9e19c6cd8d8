using Microsoft.Extensions.Options;
using OrderFlow.Integrations.FaultInjection;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Integrations.Tests.FaultInjection;

/// <summary>The chaos pipelines per target: failures before the call, answers lost after it, latency, seeded dice.</summary>
public sealed class FaultInjectorTests
{
    private readonly ListLogger<FaultInjector> logger = new();

    [Fact]
    public async Task RunAsync_InjectionOff_RunsTheCallUntouchedWhateverTheRates()
    {
        var faults = Injector(enabled: false, payment: new FaultTargetOptions { FailRate = 1, LostResponseRate = 1 });
        var calls = 0;

        var result = await faults.RunAsync(FaultInjectionOptions.Payment, _ => Task.FromResult(++calls), default);

        Assert.Equal((1, 1), (result, calls));
        Assert.False(faults.Injects(FaultInjectionOptions.Payment));
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task RunAsync_FailRateOne_FailsBeforeTheCallIsMade()
    {
        var faults = Injector(payment: new FaultTargetOptions { FailRate = 1 });
        var calls = 0;

        var ex = await Assert.ThrowsAsync<InjectedFaultException>(() => faults.RunAsync(FaultInjectionOptions.Payment, _ => Task.FromResult(++calls), default));

        Assert.Equal(0, calls);
        Assert.Contains("before reaching the provider", ex.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Contains("Fault injected: Payment fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LostResponseRateOne_TheCallHappensThenItsAnswerIsLost()
    {
        var faults = Injector(payment: new FaultTargetOptions { LostResponseRate = 1 });
        var calls = 0;

        var ex = await Assert.ThrowsAsync<InjectedFaultException>(() => faults.RunAsync(FaultInjectionOptions.Payment, _ => Task.FromResult(++calls), default));

        Assert.Equal(1, calls);
        Assert.Contains("answer was lost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OtherTarget_IsNotAffected()
    {
        var faults = Injector(payment: new FaultTargetOptions { FailRate = 1 });

        Assert.Equal(7, await faults.RunAsync(FaultInjectionOptions.Carrier, _ => Task.FromResult(7), default));
    }

    [Fact]
    public async Task RunAsync_LatencyRateOne_DelaysAndLogsIt()
    {
        var faults = Injector(payment: new FaultTargetOptions { LatencyRate = 1, Latency = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(3, await faults.RunAsync(FaultInjectionOptions.Payment, _ => Task.FromResult(3), default));

        Assert.Contains(logger.Entries, e => e.Contains("Fault injected: Payment latency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SameSeed_FaultsFallTheSameWayAndAtAboutTheRate()
    {
        var first = await PatternAsync(Injector(seed: 42, payment: new FaultTargetOptions { FailRate = 0.3 }));
        var second = await PatternAsync(Injector(seed: 42, payment: new FaultTargetOptions { FailRate = 0.3 }));
        var other = await PatternAsync(Injector(seed: 7, payment: new FaultTargetOptions { FailRate = 0.3 }));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(f => f), 40, 80);
    }

    private static async Task<bool[]> PatternAsync(FaultInjector faults)
    {
        var pattern = new bool[200];
        for (var i = 0; i < pattern.Length; i++)
        {
            try
            {
                await faults.RunAsync(FaultInjectionOptions.Payment, _ => Task.FromResult(0), default);
            }
            catch (InjectedFaultException)
            {
                pattern[i] = true;
            }
        }

        return pattern;
    }

    private FaultInjector Injector(bool enabled = true, int? seed = null, FaultTargetOptions? payment = null)
    {
        var options = new FaultInjectionOptions { Enabled = enabled, Seed = seed };
        if (payment is not null)
        {
            options.Targets[FaultInjectionOptions.Payment] = payment;
        }

        return new FaultInjector(Options.Create(options), logger);
    }
}
