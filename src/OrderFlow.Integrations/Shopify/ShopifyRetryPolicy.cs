using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// The Shopify Admin API client's retry strategy. It retries transient faults (5xx, 408, network errors and timeouts),
/// HTTP 429 after its Retry-After (Shopify sends seconds, possibly fractional), and HTTP 200 answers whose GraphQL
/// errors say THROTTLED, after the time the bucket needs to refill the requested cost
/// ((requestedQueryCost - currentlyAvailable) / restoreRate). Mutations carry an @idempotent key, so a retry never
/// applies a change twice; a request marked <see cref="OnlyRetryRefused"/> (a mutation Shopify takes no key for, such
/// as orderCapture) is retried only when Shopify refused it unprocessed (429, THROTTLED), never after a 5xx or a
/// timeout, which may have applied it.
/// </summary>
internal static partial class ShopifyRetryPolicy
{
    public const int MaxRetryAttempts = 4;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Set on a request that must not be sent twice: only refusals that applied nothing are retried.</summary>
    public static readonly HttpRequestOptionsKey<bool> OnlyRetryRefused = new("OrderFlow.Shopify.OnlyRetryRefused");

    public static RetryStrategyOptions<HttpResponseMessage> Create(ILogger logger, TimeProvider clock) => new()
    {
        MaxRetryAttempts = MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(1),
        MaxDelay = MaxDelay,
        ShouldHandle = async args =>
            (HttpClientResiliencePredicates.IsTransient(args.Outcome) && !OnlyRefusals(args.Context))
            || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
            || (args.Outcome.Result is { } response && await ThrottleDelayAsync(response) is not null),
        DelayGenerator = async args => args.Outcome.Result is { } response
            ? RetryAfter(response, clock) ?? await ThrottleDelayAsync(response)
            : null,
        OnRetry = args =>
        {
            LogRetry(logger, args.AttemptNumber + 1, args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "fault", args.RetryDelay);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>The wait a 429's Retry-After asks for (delta seconds, fractional allowed, or an HTTP date), capped.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider clock)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests || !response.Headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var value = values.FirstOrDefault()?.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return Cap(TimeSpan.FromSeconds(seconds));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Cap(at - clock.GetUtcNow())
            : null;
    }

    /// <summary>For a GraphQL answer throttled by the cost bucket: how long until the bucket holds the requested cost.</summary>
    internal static async ValueTask<TimeSpan?> ThrottleDelayAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        // Buffered, so the adapter can still read the body of the answer that is finally returned.
        await response.Content.LoadIntoBufferAsync();
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = document.RootElement;
            if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array
                || !errors.EnumerateArray().Any(ShopifyGraphQl.IsThrottled))
            {
                return null;
            }

            if (root.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("cost", out var cost)
                && cost.TryGetProperty("requestedQueryCost", out var requested) && requested.TryGetDouble(out var needed)
                && cost.TryGetProperty("throttleStatus", out var status)
                && status.TryGetProperty("currentlyAvailable", out var available) && available.TryGetDouble(out var have)
                && status.TryGetProperty("restoreRate", out var rate) && rate.TryGetDouble(out var perSecond) && perSecond > 0)
            {
                return Cap(TimeSpan.FromSeconds(Math.Max(needed - have, 0) / perSecond));
            }

            return TimeSpan.FromSeconds(1);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the request carries <see cref="OnlyRetryRefused"/> (the WooCommerce client marks its non-idempotent writes the same way).</summary>
    internal static bool OnlyRefusals(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(OnlyRetryRefused, out var only) == true && only;

    private static TimeSpan Cap(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopify Admin API answered {Outcome}; retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string outcome, TimeSpan delay);
}
