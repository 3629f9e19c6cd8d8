using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Api.RateLimiting;
using OrderFlow.Host.Channels;
using OrderFlow.Host.Configuration;
using OrderFlow.Engine;
using OrderFlow.Integrations.Storage;
using OrderFlow.Host.Reconciliation;
using OrderFlow.Host.Sandbox;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host;

/// <summary>Everything the one-machine host registers, in one place (also used by tests).</summary>
public static class HostServiceCollectionExtensions
{
    public const string EngineSection = "Engine";

    public static IServiceCollection AddOrderFlowHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOpenApi(options => options.AddOperatorKeySecurity());

        // One process per Engine:WorkerId (the engine owns its partitions under that id): email claims a killed host left
        // are taken over by its next start at once.
        var workerId = configuration[$"{EngineSection}:{nameof(DurableEngineOptions.WorkerId)}"];
        services.AddSingleton(new ClaimHolder(string.IsNullOrWhiteSpace(workerId) ? Environment.MachineName : workerId, SoleProcessPerWorker: true));
        services.AddOrderFlowIntegrations(configuration);
        services.AddOrderFlowApi(configuration);
        services.AddInboundRateLimits();
        services.SuppressUnredactedRequestLines();
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // Only the configured proxies count (none by default): ASP.NET Core's default would trust loopback.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.Proxies())
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in settings.Value.Networks())
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        services.AddOptions<HostSettings>().Bind(configuration.GetSection(HostSettings.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostSettings>>(sp => new HostSettingsValidator(
            SandboxInProduction.EnvironmentName(configuration, sp.GetService<IHostEnvironment>()),
            configuration.GetValue<bool>(SandboxInProduction.AllowKey)));

        var engine = configuration.GetSection(EngineSection);
        services.AddDurableEngine(
            options =>
            {
                engine.Bind(options);
                if (string.IsNullOrWhiteSpace(engine[nameof(DurableEngineOptions.StorageConnectionString)]))
                {
                    options.StorageConnectionString = configuration["Storage:ConnectionString"] ?? options.StorageConnectionString;
                }

                options.Validate();
            },
            registry =>
            {
                foreach (var type in WorkflowRegistry.Orchestrators)
                {
                    registry.AddOrchestrator(type);
                }

                foreach (var type in WorkflowRegistry.Activities)
                {
                    registry.AddActivity(type);
                }

                foreach (var type in WorkflowRegistry.Entities)
                {
                    registry.AddEntity(type);
                }
            });
        services.AddSingleton<IWorkflowClient, EngineWorkflowClient>();
        services.AddSingleton<IEntityStateReader, WorkflowClientEntityStateReader>();
        services.AddHostedService<SandboxWarehouse>();
        services.AddHostedService<Inventory.ReservationReaperService>();
        services.AddHostedService<Watchdog.WatchdogService>();
        services.AddHostedService<Cases.CaseDecisionSweeperService>();
        services.AddHostedService<ReconciliationScheduler>();

        // Only with a sales channel configured; without one the outbox still records and nothing polls it.
        var channels = new ChannelsOptions();
        configuration.GetSection(ChannelsOptions.Section).Bind(channels);
        if (channels.AnyEnabled)
        {
            services.AddHostedService<ChannelSyncService>();
        }

        return services;
    }
}
