using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// Production never runs on sandboxes by accident. The environment is AZURE_FUNCTIONS_ENVIRONMENT when set (the
/// Functions host's variable; the isolated worker's own environment does not always follow it), else the host's
/// environment (ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT), which is Production when nothing is set.
/// </summary>
public static class SandboxInProduction
{
    public const string AllowKey = "Adapters:AllowSandboxInProduction";

    /// <summary>The environment's name, or null when neither the configuration nor a host names one (a bare service collection).</summary>
    public static string? EnvironmentName(IConfiguration configuration, IHostEnvironment? host)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration["AZURE_FUNCTIONS_ENVIRONMENT"] is { Length: > 0 } functions ? functions : host?.EnvironmentName;
    }

    public static bool IsProduction(string? environmentName) =>
        string.Equals(environmentName?.Trim(), Environments.Production, StringComparison.OrdinalIgnoreCase);

    /// <summary>The refusal for <paramref name="setting"/> (e.g. "Adapters:Payment is Sandbox").</summary>
    public static string Refusal(string setting) =>
        $"{setting} in the Production environment: sandboxes treat almost any payment as paid and ship nothing real. "
        + $"Select the real adapter, or set {AllowKey}=true to run a sandbox in Production on purpose.";
}
