namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// Fault injection for soak and resilience runs (section "FaultInjection"): per target, a share of calls fails before
/// reaching the provider, loses its answer after the provider handled it, gets an HTTP error response, or is delayed.
/// Off unless <see cref="Enabled"/>; refused in the Production environment.
/// </summary>
public sealed class FaultInjectionOptions
{
    public const string Section = "FaultInjection";
    public const string Payment = "Payment";
    public const string Carrier = "Carrier";
    public const string Fulfillment = "Fulfillment";
    public const string Accounting = "Accounting";
    public const string Email = "Email";
    public const string Storage = "Storage";
    public const string Channels = "Channels";

    /// <summary>The targets a fault can be configured for.</summary>
    public static IReadOnlyList<string> TargetNames { get; } = [Payment, Carrier, Fulfillment, Accounting, Email, Storage, Channels];

    /// <summary>Targets whose adapters talk HTTP through named clients, where <see cref="FaultTargetOptions.ErrorResponseRate"/> applies.</summary>
    public static IReadOnlyList<string> HttpTargetNames { get; } = [Payment, Carrier, Fulfillment, Accounting, Channels];

    public bool Enabled { get; set; }

    /// <summary>Seeds the dice, so a run's faults fall the same way again; unset: a new sequence per process.</summary>
    public int? Seed { get; set; }

    /// <summary>Per target (<see cref="TargetNames"/>), what to inject.</summary>
    public Dictionary<string, FaultTargetOptions> Targets { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>What one target's calls suffer, each rate between 0 (never) and 1 (every call).</summary>
public sealed class FaultTargetOptions
{
    /// <summary>Share of calls that fail before reaching the provider (nothing happened there).</summary>
    public double FailRate { get; set; }

    /// <summary>
    /// Share of calls whose answer is lost after the provider handled them (it charged, bought, sent or wrote): the
    /// caller retries, and only its idempotency key stops a second effect.
    /// </summary>
    public double LostResponseRate { get; set; }

    /// <summary>HTTP adapters only: share of requests answered 503 Service Unavailable by the "provider" (the adapter's own retries see it).</summary>
    public double ErrorResponseRate { get; set; }

    /// <summary>Share of calls delayed by <see cref="Latency"/> before they are made.</summary>
    public double LatencyRate { get; set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(1);
}
