using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// Polly chaos pipelines per target from <see cref="FaultInjectionOptions"/>: "before" (latency, then a failure before
/// the call), "after" (the answer lost once the call is done) and, for HTTP adapters, 503 responses. A target without
/// settings, or with injection off, runs its calls untouched. Every injected fault is logged with its target and kind.
/// </summary>
public sealed partial class FaultInjector
{
    private readonly Dictionary<string, Target> targets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Random? dice;
    private readonly ILogger<FaultInjector> logger;

    public FaultInjector(IOptions<FaultInjectionOptions> options, ILogger<FaultInjector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        var o = options.Value;
        dice = o.Seed is { } seed ? new Random(seed) : null;
        if (!o.Enabled)
        {
            return;
        }

        foreach (var (name, t) in o.Targets)
        {
            targets[name] = new Target(Before(name, t), After(name, t), Http(name, t));
        }
    }

    /// <summary>True when <paramref name="target"/> has faults configured (and injection is on).</summary>
    public bool Injects(string target) => targets.ContainsKey(target);

    /// <summary>Runs <paramref name="call"/> with the target's faults: maybe delayed or failed before, maybe its answer lost after.</summary>
    public async Task<T> RunAsync<T>(string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!targets.TryGetValue(target, out var t))
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        var result = await t.Before.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await t.After.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The "before" faults alone (storage requests, which run the call themselves).</summary>
    public ValueTask BeforeAsync(string target, CancellationToken cancellationToken) =>
        targets.TryGetValue(target, out var t) ? t.Before.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>The "after" fault alone: the call was made, its answer is lost.</summary>
    public ValueTask AfterAsync(string target, CancellationToken cancellationToken) =>
        targets.TryGetValue(target, out var t) ? t.After.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends an HTTP request through the target's 503 chaos (HTTP adapters).</summary>
    public ValueTask<HttpResponseMessage> SendAsync(string target, Func<CancellationToken, ValueTask<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        return targets.TryGetValue(target, out var t) ? t.Http.ExecuteAsync(ct => send(ct), cancellationToken) : send(cancellationToken);
    }

    private ResiliencePipeline Before(string target, FaultTargetOptions t)
    {
        var builder = new ResiliencePipelineBuilder();
        if (t.LatencyRate > 0)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                InjectionRate = t.LatencyRate,
                Latency = t.Latency,
                Randomizer = Roll,
                OnLatencyInjected = _ =>
                {
                    LogInjected(target, "latency");
                    return default;
                },
            });
        }

        return this.AddFault(builder, target, t.FailRate, "fail", $"Injected fault: the {target} call failed before reaching the provider.").Build();
    }

    private ResiliencePipeline After(string target, FaultTargetOptions t)
    {
        return this.AddFault(new ResiliencePipelineBuilder(), target, t.LostResponseRate, "lost-response", $"Injected fault: the {target} call was handled by the provider but its answer was lost.").Build();
    }

    /// <summary>Adds a chaos fault throwing <see cref="InjectedFaultException"/> at <paramref name="rate"/> (nothing at 0), logged as <paramref name="kind"/>.</summary>
    private ResiliencePipelineBuilder AddFault(ResiliencePipelineBuilder builder, string target, double rate, string kind, string message)
    {
        if (rate > 0)
        {
            builder.AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = rate,
                Randomizer = Roll,
                FaultGenerator = _ =>
                {
                    LogInjected(target, kind);
                    return ValueTask.FromResult<Exception?>(new InjectedFaultException(message));
                },
            });
        }

        return builder;
    }

    private ResiliencePipeline<HttpResponseMessage> Http(string target, FaultTargetOptions t)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (t.ErrorResponseRate > 0)
        {
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<HttpResponseMessage>
            {
                InjectionRate = t.ErrorResponseRate,
                Randomizer = Roll,
                OutcomeGenerator = _ =>
                {
                    LogInjected(target, "error-response");
                    var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                    {
                        Content = new StringContent("""{"error":"injected fault: service unavailable"}""", System.Text.Encoding.UTF8, "application/json"),
                    };
                    return ValueTask.FromResult<Outcome<HttpResponseMessage>?>(Outcome.FromResult(response));
                },
            });
        }

        return builder.Build();
    }

    private double Roll()
    {
        if (dice is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (dice)
        {
            return dice.NextDouble();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected: {Target} {Kind}")]
    private partial void LogInjected(string target, string kind);

    private sealed record Target(ResiliencePipeline Before, ResiliencePipeline After, ResiliencePipeline<HttpResponseMessage> Http);
}
