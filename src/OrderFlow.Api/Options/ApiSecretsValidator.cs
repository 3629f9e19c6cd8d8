using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Options;

/// <summary>The shared secret rule (<see cref="SecretSetting"/>) applied to the Intake secrets and the operator key.</summary>
public sealed class ApiSecretsValidator(SecretSetting secrets) : IValidateOptions<IntakeOptions>, IValidateOptions<OperationsOptions>
{
    /// <summary>The operator key is typed by people into a header: long enough that guessing it is hopeless.</summary>
    public const int OperatorKeyMinLength = 32;

    /// <summary>WooCommerce's webhook secret is typed by the shop's admin in WooCommerce, so its floor is lower.</summary>
    public const int WooCommerceSecretMinLength = 8;

    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(
            secrets.Required(options.ShopifyWebhookSecret, "Intake:ShopifyWebhookSecret", SecretSetting.GeneratedKeyMinLength, "the Shopify app's client secret")
                .Concat(secrets.Required(options.FulfillmentCallbackSecret, "Intake:FulfillmentCallbackSecret", SecretSetting.GeneratedKeyMinLength, "shared with warehouses and 3PLs"))
                .Concat(secrets.Check(options.FulfillmentCallbackPreviousSecret, "Intake:FulfillmentCallbackPreviousSecret", SecretSetting.GeneratedKeyMinLength))
                .Concat(secrets.Check(options.GenericSecret, "Intake:GenericSecret", SecretSetting.GeneratedKeyMinLength))
                .Concat(secrets.Check(options.GenericApiKey, "Intake:GenericApiKey", OperatorKeyMinLength))
                .Concat(secrets.Check(options.WooCommerceWebhookSecret, "Intake:WooCommerceWebhookSecret", WooCommerceSecretMinLength)));
    }

    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(secrets.Required(options.OperatorKey, "Operations:OperatorKey", OperatorKeyMinLength, "the X-Operator-Key of the operator routes"));
    }

    private static ValidateOptionsResult Result(IEnumerable<string> failures)
    {
        var list = failures.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
