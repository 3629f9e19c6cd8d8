using System.Net.Mail;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Small checks shared by the options validators; each returns the failure sentence or nothing.</summary>
internal static class OptionsChecks
{
    public static IEnumerable<string> Required(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return $"{key} is required.";
        }
    }

    public static IEnumerable<string> EmailAddress(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return $"{key} is required.";
        }
        else if (!MailAddress.TryCreate(value, out _))
        {
            yield return $"{key} '{value}' is not a valid email address.";
        }
    }

    public static IEnumerable<string> HttpUrl(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return $"{key} is required.";
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{key} '{value}' must be an absolute http(s) URL.";
        }
    }

    public static IEnumerable<string> OneOf(string? value, IReadOnlyList<string> allowed, string key)
    {
        if (!allowed.Contains(value ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{key} '{value}' is not supported; allowed values: {string.Join(", ", allowed)}.";
        }
    }

    /// <summary>Not empty and not the "UNSET" placeholder infra/app.bicep stores in Key Vault for a secret nobody set.</summary>
    public static bool IsSecretSet(string? secret) => SecretSetting.IsSet(secret);
}
