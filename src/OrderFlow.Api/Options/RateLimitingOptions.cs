using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Api.Options;

/// <summary>Per-client request limits on the routes anyone can call (section "RateLimiting").</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>
    /// Requests one client address may send per <see cref="Window"/> to the webhooks, the generic intake and the signed
    /// callbacks. Generous: a platform delivers every store's webhooks from a few addresses.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:WebhookPermitLimit must be between 1 and 1000000.")]
    public int WebhookPermitLimit { get; set; } = 600;

    /// <summary>Requests one client address may send per <see cref="Window"/> to the approval links and the console sign-in.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:ApprovalPermitLimit must be between 1 and 100000.")]
    public int ApprovalPermitLimit { get; set; } = 60;

    /// <summary>The fixed window the limits count in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "RateLimiting:Window must be between 00:00:01 and 01:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
