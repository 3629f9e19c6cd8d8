using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;

namespace OrderFlow.Api.RateLimiting;

/// <summary>
/// Per-client limits on the routes anyone can call: a fixed window per client address (RateLimiting:*), so one sender
/// flooding a webhook or guessing approval tokens gets 429 with Retry-After and a problem+json reason while other clients
/// are served. The one-machine host uses ASP.NET Core's rate limiter with these policies; the Functions app applies the
/// same partitions in its worker middleware.
/// </summary>
public static class InboundRateLimits
{
    /// <summary>Webhooks, generic intake and signed callbacks.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>Approval links and the console sign-in.</summary>
    public const string Approvals = "approvals";

    /// <summary>Registers ASP.NET Core's rate limiter with both policies (pair it with <c>app.UseRateLimiter()</c>).</summary>
    public static IServiceCollection AddInboundRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Webhooks, context => Partition(Limits(context), Webhooks, ClientOf(context)));
            options.AddPolicy(Approvals, context => Partition(Limits(context), Approvals, ClientOf(context)));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) =>
            {
                var policy = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? Webhooks;
                return new ValueTask(WriteRejectionAsync(rejected.HttpContext, rejected.Lease, Limits(rejected.HttpContext), policy));
            };
        });
        return services;
    }

    /// <summary>Puts an endpoint under <paramref name="policy"/> and describes its 429 answer.</summary>
    public static RouteHandlerBuilder RateLimitedAs(this RouteHandlerBuilder builder, string policy) =>
        builder.RequireRateLimiting(policy).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>The fixed-window partition of <paramref name="client"/> under <paramref name="policy"/>.</summary>
    public static RateLimitPartition<string> Partition(RateLimitingOptions limits, string policy, string client)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PermitLimit(limits, policy),
            Window = limits.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The client's address as the connection (after the forwarded-headers middleware) gives it.</summary>
    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Normalize(context.Connection.RemoteIpAddress) ?? "unknown";
    }

    /// <summary>IPv4 addresses seen as IPv6 (::ffff:a.b.c.d) count as the IPv4 address.</summary>
    public static string? Normalize(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>429 with Retry-After (whole seconds until the window resets) and a problem+json reason.</summary>
    public static Task WriteRejectionAsync(HttpContext context, RateLimitLease lease, RateLimitingOptions limits, string policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(limits);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
                $"Too many requests from this client address: this route allows {PermitLimit(limits, policy)} per {limits.Window:c} " +
                $"(RateLimiting:{(policy == Approvals ? nameof(RateLimitingOptions.ApprovalPermitLimit) : nameof(RateLimitingOptions.WebhookPermitLimit))}). Retry after {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests")
            .ExecuteAsync(context);
    }

    private static int PermitLimit(RateLimitingOptions limits, string policy) =>
        policy == Approvals ? limits.ApprovalPermitLimit : limits.WebhookPermitLimit;

    private static RateLimitingOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
}
