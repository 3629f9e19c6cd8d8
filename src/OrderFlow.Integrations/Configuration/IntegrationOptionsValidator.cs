using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Options;
using static OrderFlow.Integrations.Configuration.OptionsChecks;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Start-up validation of every Integrations options section, with messages that name the configuration key.</summary>
internal sealed partial class IntegrationOptionsValidator(SecretSetting secrets) :
    IValidateOptions<StorageOptions>,
    IValidateOptions<SmtpOptions>,
    IValidateOptions<StoreOptions>,
    IValidateOptions<CasesOptions>,
    IValidateOptions<AdaptersOptions>,
    IValidateOptions<FraudOptions>,
    IValidateOptions<ApprovalsOptions>,
    IValidateOptions<RoutingOptions>,
    IValidateOptions<PaymentsOptions>
{
    private const int MinSigningKeyLength = 32;

    private const int MaxPrefixLength = 40;

    public ValidateOptionsResult Validate(string? name, StorageOptions options) => Result(Storage(options));

    public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
        Result(Smtp(options).Concat(secrets.Check(options.Password, "Smtp:Password", 1)));

    public ValidateOptionsResult Validate(string? name, StoreOptions options) => Result(
        Required(options.StoreName, "Store:StoreName")
            .Concat(EmailAddress(options.SupportEmail, "Store:SupportEmail"))
            .Concat(HttpUrl(options.HelpUrl, "Store:HelpUrl"))
            .Concat(HttpUrl(options.OrderStatusBaseUrl, "Store:OrderStatusBaseUrl"))
            .Concat(StatusLink(options)));

    // The key is never repeated in a message.
    private IEnumerable<string> StatusLink(StoreOptions options)
    {
        foreach (var failure in secrets.Check(options.StatusLinkKey, "Store:StatusLinkKey", MinSigningKeyLength))
        {
            yield return failure + " Leave it empty to derive it from Approvals:SigningKey.";
        }

        if (options.StatusLinkLifetime < TimeSpan.FromDays(1) || options.StatusLinkLifetime > TimeSpan.FromDays(400))
        {
            yield return "Store:StatusLinkLifetime must be between 1 day and 400 days (e.g. 90.00:00:00).";
        }
    }

    public ValidateOptionsResult Validate(string? name, CasesOptions options) => Result(
        EmailAddress(options.ApproverEmail, "Cases:ApproverEmail")
            .Concat(string.IsNullOrWhiteSpace(options.EscalationEmail) ? [] : EmailAddress(options.EscalationEmail, "Cases:EscalationEmail"))
            .Concat(ChatWebhookUrl(options))
            .Concat(options.SweepInterval < TimeSpan.FromSeconds(1) || options.SweepInterval > TimeSpan.FromHours(1)
                ? ["Cases:SweepInterval must be between 1 second and 1 hour (e.g. 00:01:00)."]
                : []));

    // The URL holds the webhook's secret token, so the message never repeats it.
    private static IEnumerable<string> ChatWebhookUrl(CasesOptions options)
    {
        if (!options.ChatEnabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(options.ChatWebhookUrl.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            yield return "Cases:ChatWebhookUrl must be an absolute https URL (http only for localhost/loopback), "
                + "such as a Slack or Teams incoming-webhook URL; leave it empty to turn chat alerts off.";
        }
    }

    public ValidateOptionsResult Validate(string? name, ApprovalsOptions options)
    {
        var failures = new List<string>();

        if (!IsSecretSet(options.SigningKey))
        {
            failures.Add($"Approvals:SigningKey is required and must be at least {MinSigningKeyLength} characters.");
        }

        failures.AddRange(secrets.Check(options.SigningKey, "Approvals:SigningKey", MinSigningKeyLength));

        if (options.LinkLifetime < TimeSpan.FromMinutes(1) || options.LinkLifetime > TimeSpan.FromDays(30))
        {
            failures.Add("Approvals:LinkLifetime must be between 1 minute and 30 days.");
        }

        failures.AddRange(HttpUrl(options.PublicBaseUrl, "Approvals:PublicBaseUrl"));
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, AdaptersOptions options) => Result(
        OneOf(options.Payment, AdaptersOptions.PaymentValues, "Adapters:Payment")
            .Concat(OneOf(options.Carrier, AdaptersOptions.CarrierValues, "Adapters:Carrier"))
            .Concat(OneOf(options.Accounting, AdaptersOptions.AccountingValues, "Adapters:Accounting"))
            .Concat(OneOf(options.Fulfillment, AdaptersOptions.FulfillmentValues, "Adapters:Fulfillment")));

    public ValidateOptionsResult Validate(string? name, PaymentsOptions options) =>
        Result(OneOf(options.PendingPolicy?.Trim(), PaymentsOptions.PendingPolicyValues, "Payments:PendingPolicy"));

    public ValidateOptionsResult Validate(string? name, FraudOptions options)
    {
        var failures = new List<string>();
        if (options.HighValueMinorUnits <= 0)
        {
            failures.Add("Fraud:HighValueMinorUnits must be greater than 0.");
        }

        if (options.HighQuantityUnits <= 0)
        {
            failures.Add("Fraud:HighQuantityUnits must be greater than 0.");
        }

        if (options.ReviewScore is < 1 or > 100)
        {
            failures.Add("Fraud:ReviewScore must be between 1 and 100.");
        }

        if (options.CancelScore is < 1 or > 100)
        {
            failures.Add("Fraud:CancelScore must be between 1 and 100.");
        }
        else if (options.CancelScore < options.ReviewScore)
        {
            failures.Add($"Fraud:CancelScore ({options.CancelScore}) must be at least Fraud:ReviewScore ({options.ReviewScore}).");
        }

        if (options.VelocityWindow <= TimeSpan.Zero)
        {
            failures.Add("Fraud:VelocityWindow must be a positive duration (e.g. 1.00:00:00 for a day).");
        }

        if (options.VelocityOrderLimit < 0)
        {
            failures.Add("Fraud:VelocityOrderLimit must be 0 or more.");
        }

        if (options.FailedPaymentLimit < 1)
        {
            failures.Add("Fraud:FailedPaymentLimit must be at least 1.");
        }

        if (options.HistoryValueMultiple < 1)
        {
            failures.Add("Fraud:HistoryValueMultiple must be at least 1.");
        }

        foreach (var (key, value) in (options.Weights ?? new FraudWeightOptions()).All())
        {
            if (value is < 0 or > 100)
            {
                failures.Add($"{key} must be between 0 and 100.");
            }
        }

        for (var i = 0; i < options.HighRiskSkus.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.HighRiskSkus[i]))
            {
                failures.Add($"Fraud:HighRiskSkus:{i} must not be empty.");
            }
        }

        for (var i = 0; i < (options.ForwarderPatterns?.Count ?? 0); i++)
        {
            var pattern = options.ForwarderPatterns![i];
            if (string.IsNullOrWhiteSpace(pattern))
            {
                failures.Add($"Fraud:ForwarderPatterns:{i} must not be empty.");
                continue;
            }

            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Fraud:ForwarderPatterns:{i} is not a valid regular expression: {ex.Message}");
            }
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, RoutingOptions options) => Result(Routing(options));

    private static IEnumerable<string> Routing(RoutingOptions options)
    {
        if (options.Locations.Count == 0 && !options.AllowUnconfiguredLocations)
        {
            yield return "Routing:Locations must list at least one location when Routing:AllowUnconfiguredLocations is false; nothing could ship otherwise.";
        }

        // Case-insensitive: pick-list queue names are lower-cased location ids, so "WH-A" and "wh-a" would share a queue.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Locations.Count; i++)
        {
            var location = options.Locations[i];
            var key = $"Routing:Locations:{i}";
            if (string.IsNullOrWhiteSpace(location.Id))
            {
                yield return $"{key}:Id is required.";
            }
            else if (!seen.Add(location.Id.Trim()))
            {
                yield return $"{key}:Id '{location.Id}' is listed more than once (ids are compared ignoring case).";
            }

            foreach (var failure in OneOf(location.Kind, Enum.GetNames<LocationKind>(), $"{key}:Kind")
                .Concat(OneOf(location.Method, Enum.GetNames<FulfillmentMethod>(), $"{key}:Method"))
                .Concat(Location(location, key)))
            {
                yield return failure;
            }
        }
    }

    private static IEnumerable<string> Location(RoutingLocationOptions location, string key)
    {
        var regions = location.RegionCodes();
        if (regions.Count == 0)
        {
            yield return $"{key}:Regions must list at least one region: an ISO country code (US), a subdivision (US-CA) or * for everywhere.";
        }

        foreach (var region in regions.Where(r => r != FulfillmentLocation.Everywhere && !RegionCode().IsMatch(r)))
        {
            yield return $"{key}:Regions entry '{region}' must be an ISO country code (US), a subdivision (US-CA) or *.";
        }

        if (location.Priority < 0)
        {
            yield return $"{key}:Priority must be 0 or more (lower is preferred).";
        }

        if (location.HandlingDays is < 0 or > 365)
        {
            yield return $"{key}:HandlingDays must be between 0 and 365.";
        }

        if (!string.IsNullOrWhiteSpace(location.Country) && !CountryCode().IsMatch(location.Country.Trim()))
        {
            yield return $"{key}:Country '{location.Country}' must be an ISO 3166-1 alpha-2 code such as US.";
        }
    }

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
    private static partial Regex RegionCode();

    private static IEnumerable<string> Storage(StorageOptions options)
    {
        foreach (var failure in Required(options.ConnectionString, "Storage:ConnectionString"))
        {
            yield return failure;
        }

        // Table names must be alphanumeric and start with a letter; the prefix also starts queue names (lower-cased).
        var prefix = options.TablePrefix ?? string.Empty;
        if (prefix.Length > MaxPrefixLength || (prefix.Length > 0 && (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))))
        {
            yield return $"Storage:TablePrefix '{prefix}' must be at most {MaxPrefixLength} ASCII letters or digits and start with a letter.";
        }
    }

    private static IEnumerable<string> Smtp(SmtpOptions options)
    {
        foreach (var failure in Required(options.Host, "Smtp:Host").Concat(EmailAddress(options.FromAddress, "Smtp:FromAddress")))
        {
            yield return failure;
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"Smtp:Port {options.Port} must be between 1 and 65535.";
        }

        if (!Enum.IsDefined(options.Security))
        {
            yield return $"Smtp:Security '{options.Security}' is not supported; allowed values: {string.Join(", ", Enum.GetNames<SmtpSecurity>())}.";
        }

        if (!string.IsNullOrEmpty(options.Username) && string.IsNullOrEmpty(options.Password))
        {
            yield return "Smtp:Password is required when Smtp:Username is set.";
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            yield return "Smtp:Timeout must be positive.";
        }
    }

    private static ValidateOptionsResult Result(IEnumerable<string> failures)
    {
        var list = failures.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
