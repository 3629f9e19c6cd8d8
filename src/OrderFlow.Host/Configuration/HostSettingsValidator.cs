using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Host.Configuration;

/// <summary>Refuses the sandbox warehouse (Host:SandboxWarehouse=true) in the Production environment unless allowed explicitly.</summary>
internal sealed class HostSettingsValidator(string? environmentName, bool allowSandboxInProduction) : IValidateOptions<HostSettings>
{
    public ValidateOptionsResult Validate(string? name, HostSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SandboxWarehouse && SandboxInProduction.IsProduction(environmentName) && !allowSandboxInProduction
            ? ValidateOptionsResult.Fail(SandboxInProduction.Refusal("Host:SandboxWarehouse is true"))
            : ValidateOptionsResult.Success;
    }
}
