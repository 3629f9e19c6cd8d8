using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Start-up validation of the branding part of <see cref="StoreOptions"/> (logo, color, phone, locale); the name and
/// support paths are checked with the other Integrations options. Messages name the configuration key.
/// </summary>
public sealed class StoreBrandingValidator : IValidateOptions<StoreOptions>
{
    private const int MaxPhoneLength = 32;

    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Failures(StoreOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.LogoUrl))
        {
            foreach (var failure in OptionsChecks.HttpUrl(options.LogoUrl, "Store:LogoUrl"))
            {
                yield return failure;
            }
        }

        if (!IsHexColor(options.PrimaryColor))
        {
            yield return $"Store:PrimaryColor '{options.PrimaryColor}' must be a hex color such as #1A56DB or #15D.";
        }

        if (!string.IsNullOrWhiteSpace(options.SupportPhone) && !IsPhone(options.SupportPhone))
        {
            yield return $"Store:SupportPhone '{options.SupportPhone}' must be a phone number of digits, spaces and + - ( ) . (at most {MaxPhoneLength} characters).";
        }

        if (!EmailCulture.TryGetSpecific(options.Locale, out _))
        {
            yield return $"Store:Locale '{options.Locale}' must be a specific culture with language and region, such as en-US or de-DE.";
        }
    }

    private static bool IsHexColor(string? value) =>
        value is { Length: 4 or 7 } && value[0] == '#' && value[1..].All(char.IsAsciiHexDigit);

    private static bool IsPhone(string value) =>
        value.Length <= MaxPhoneLength
        && value.Count(char.IsAsciiDigit) >= 3
        && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.');
}
