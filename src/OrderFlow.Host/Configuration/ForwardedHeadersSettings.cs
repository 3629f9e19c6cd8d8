using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OrderFlow.Host.Configuration;

/// <summary>
/// The reverse proxies (TLS terminators) whose X-Forwarded-For and X-Forwarded-Proto the host believes (section
/// "ForwardedHeaders"). Empty: none, so a client cannot claim https or another address by sending the headers itself.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, comma-separated ("10.0.0.4, 10.0.0.5").</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Proxy networks in CIDR notation, comma-separated ("10.0.0.0/24, fd00::/64").</summary>
    public string KnownNetworks { get; set; } = "";

    public IReadOnlyList<IPAddress> Proxies() => [.. Split(KnownProxies).Select(IPAddress.Parse)];

    public IReadOnlyList<IPNetwork> Networks() => [.. Split(KnownNetworks).Select(n => IPNetwork.Parse(n))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Split(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult(
                $"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address (list addresses separated by commas, e.g. '10.0.0.4, 10.0.0.5').",
                [nameof(KnownProxies)]);
        }

        foreach (var network in Split(KnownNetworks).Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult(
                $"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. '10.0.0.0/24').",
                [nameof(KnownNetworks)]);
        }
    }

    private static string[] Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
