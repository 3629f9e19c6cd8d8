using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Engine;

/// <summary>Registers the one-machine durable engine.</summary>
public static class DurableEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the durable engine (a hosted service), its backend and <see cref="TaskHubWorkflowClient"/>.
    /// Activities and entities are built per work item from a DI scope, so register their dependencies here too.
    /// </summary>
    public static IServiceCollection AddDurableEngine(
        this IServiceCollection services,
        Action<DurableEngineOptions> configure,
        Action<DurableEngineRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(register);
        if (services.Any(d => d.ServiceType == typeof(DurableEngineRegistry)))
        {
            throw new InvalidOperationException("The durable engine is already registered.");
        }

        var registry = new DurableEngineRegistry();
        register(registry);

        services.AddOptions<DurableEngineOptions>().Configure(configure);
        services.AddSingleton(registry);
        services.AddLogging();
        services.AddSingleton<DurableEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableEngine>());
        services.AddSingleton(sp => new TaskHubWorkflowClient(sp.GetRequiredService<DurableEngine>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
