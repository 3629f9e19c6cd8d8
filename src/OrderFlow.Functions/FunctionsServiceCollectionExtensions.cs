using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderFlow.Api;
using OrderFlow.Functions.Durable;
using OrderFlow.Functions.Reconciliation;
using OrderFlow.Functions.Storage;
using OrderFlow.Functions.Triggers;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions;

/// <summary>Everything the Functions app registers besides the Functions runtime itself.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddIdentityStorageClients(configuration);
        services.AddOrderFlowIntegrations(configuration);
        services.AddOrderFlowApi(configuration);
        services.AddOptions<ReconciliationTimerOptions>()
            .Configure(o => o.Schedule = configuration[ReconciliationTimerTrigger.ScheduleSetting] ?? string.Empty)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Per invocation: the trigger of an activity that reads entities hands it the function's [DurableClient].
        services.TryAddScoped<InvocationEntityStateReader>();
        services.TryAddScoped<IEntityStateReader>(sp => sp.GetRequiredService<InvocationEntityStateReader>());

        // Activity triggers resolve their activity per invocation: transient, like the engine does on the other host.
        foreach (var activity in WorkflowRegistry.Activities)
        {
            services.TryAddTransient(activity);
        }

        return services;
    }
}
