using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Refuses Sandbox payment, carrier and accounting adapters in the Production environment unless allowed explicitly.</summary>
internal sealed class SandboxInProductionValidator(string? environmentName) : IValidateOptions<AdaptersOptions>
{
    public ValidateOptionsResult Validate(string? name, AdaptersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SandboxInProduction.IsProduction(environmentName) || options.AllowSandboxInProduction)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = options.SandboxKeys().Select(key => SandboxInProduction.Refusal($"{key} is Sandbox")).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
