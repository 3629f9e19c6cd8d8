using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// Start-up checks for <see cref="FaultInjectionOptions"/>: never in Production, known targets only, rates within 0-1,
/// error responses only where an HTTP adapter can answer them, latency at most 5 minutes.
/// </summary>
internal sealed class FaultInjectionOptionsValidator(string? environmentName) : IValidateOptions<FaultInjectionOptions>
{
    public static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, FaultInjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (SandboxInProduction.IsProduction(environmentName))
        {
            failures.Add($"{FaultInjectionOptions.Section}:Enabled is true in the Production environment: injected faults fail real customers' orders. Turn it off.");
        }

        foreach (var (target, t) in options.Targets)
        {
            var prefix = $"{FaultInjectionOptions.Section}:Targets:{target}";
            if (!FaultInjectionOptions.TargetNames.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{prefix} is not a fault injection target; use one of {string.Join(", ", FaultInjectionOptions.TargetNames)}.");
                continue;
            }

            foreach (var (rate, value) in new[] { ("FailRate", t.FailRate), ("LostResponseRate", t.LostResponseRate), ("ErrorResponseRate", t.ErrorResponseRate), ("LatencyRate", t.LatencyRate) })
            {
                if (double.IsNaN(value) || value is < 0 or > 1)
                {
                    failures.Add($"{prefix}:{rate} must be between 0 and 1 (a share of calls).");
                }
            }

            if (t.ErrorResponseRate > 0 && !FaultInjectionOptions.HttpTargetNames.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{prefix}:ErrorResponseRate applies to HTTP adapters only ({string.Join(", ", FaultInjectionOptions.HttpTargetNames)}); use FailRate or LostResponseRate for {target}.");
            }

            if (t.Latency < TimeSpan.Zero || t.Latency > MaxLatency)
            {
                failures.Add($"{prefix}:Latency must be between 00:00:00 and {MaxLatency:c}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
