using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using OrderFlow.Integrations.Shopify;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// The WooCommerce REST client's retry strategy: transient faults (5xx, 408, network errors, per-attempt timeouts) with
/// jittered exponential backoff, and HTTP 429 after its Retry-After (seconds or an HTTP date, capped). Every request the
/// stock channel sends is safe to repeat: lookups read, and a batch update sets absolute stock quantities. A request marked
/// <see cref="ShopifyRetryPolicy.OnlyRetryRefused"/> (an order note, which a repeat would add twice) is retried only after a 429.
/// </summary>
internal static partial class WooCommerceRetryPolicy
{
    public const int MaxRetryAttempts = 4;

    public static RetryStrategyOptions<HttpResponseMessage> Create(ILogger logger, TimeProvider clock) => new()
    {
        MaxRetryAttempts = MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(1),
        MaxDelay = ShopifyRetryPolicy.MaxDelay,
        ShouldHandle = args => ValueTask.FromResult(
            (HttpClientResiliencePredicates.IsTransient(args.Outcome) && !ShopifyRetryPolicy.OnlyRefusals(args.Context))
            || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { } response ? ShopifyRetryPolicy.RetryAfter(response, clock) : null),
        OnRetry = args =>
        {
            LogRetry(logger, args.AttemptNumber + 1, args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "fault", args.RetryDelay);
            return ValueTask.CompletedTask;
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "WooCommerce REST API answered {Outcome}; retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string outcome, TimeSpan delay);
}
