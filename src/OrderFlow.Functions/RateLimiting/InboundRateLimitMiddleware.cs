using System.Collections.Frozen;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Api.RateLimiting;
using OrderFlow.Functions.Triggers;

namespace OrderFlow.Functions.RateLimiting;

/// <summary>
/// The one-machine host's per-client limits (<see cref="InboundRateLimits"/>) in the isolated worker: the same fixed
/// windows per client address on the same routes, answered with the same 429. Counted in memory per worker instance, so
/// an app scaled out to N instances lets a client through up to N times the limit; the Functions host itself has no
/// per-client limit (put Azure Front Door or API Management in front for a global one).
/// </summary>
public sealed class InboundRateLimitMiddleware : IFunctionsWorkerMiddleware, IDisposable
{
    /// <summary>The limited functions and their policy; the same endpoints the host limits (checked by a test).</summary>
    public static readonly FrozenDictionary<string, string> PolicyOfFunction = new Dictionary<string, string>
    {
        [nameof(HttpTriggers.ShopifyOrdersCreate)] = InboundRateLimits.Webhooks,
        [nameof(CancellationHttpTriggers.ShopifyOrdersCancelled)] = InboundRateLimits.Webhooks,
        [nameof(CancellationHttpTriggers.ShopifyOrdersPaid)] = InboundRateLimits.Webhooks,
        [nameof(WooCommerceHttpTriggers.WooCommerceOrders)] = InboundRateLimits.Webhooks,
        [nameof(PaymentHttpTriggers.StripeWebhook)] = InboundRateLimits.Webhooks,
        [nameof(PaymentHttpTriggers.PostOrder)] = InboundRateLimits.Webhooks,
        [nameof(CarrierHttpTriggers.CarrierWebhook)] = InboundRateLimits.Webhooks,
        [nameof(HttpTriggers.PostFulfillmentEvent)] = InboundRateLimits.Webhooks,
        ["PostReturnReceived"] = InboundRateLimits.Webhooks,
        [nameof(CaseHttpTriggers.GetApprovalPage)] = InboundRateLimits.Approvals,
        [nameof(CaseHttpTriggers.PostApprovalPage)] = InboundRateLimits.Approvals,
        [nameof(ConsoleHttpTriggers.PostConsoleLogin)] = InboundRateLimits.Approvals,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly RateLimitingOptions limits;
    private readonly Dictionary<string, PartitionedRateLimiter<HttpContext>> limiters;

    public InboundRateLimitMiddleware(IOptions<RateLimitingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        limits = options.Value;
        limiters = new[] { InboundRateLimits.Webhooks, InboundRateLimits.Approvals }.ToDictionary(
            policy => policy,
            policy => PartitionedRateLimiter.Create<HttpContext, string>(context => InboundRateLimits.Partition(limits, policy, ClientOf(context))));
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!PolicyOfFunction.TryGetValue(context.FunctionDefinition.Name, out var policy) || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        using var lease = await limiters[policy].AcquireAsync(http, 1, http.RequestAborted);
        if (!lease.IsAcquired)
        {
            await InboundRateLimits.WriteRejectionAsync(http, lease, limits, policy);
            return;
        }

        await next(context);
    }

    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
        {
            limiter.Dispose();
        }
    }

    /// <summary>
    /// The caller's address. Requests reach the worker from the Functions host on loopback; then the last
    /// X-Forwarded-For entry (the one Azure's front end appends, port stripped) names the caller.
    /// </summary>
    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (last is not null && (IPAddress.TryParse(last, out var address) || IPEndPoint.TryParse(last, out var endpoint) && (address = endpoint.Address) is not null))
            {
                return InboundRateLimits.Normalize(address)!;
            }
        }

        return InboundRateLimits.ClientOf(context);
    }
}
