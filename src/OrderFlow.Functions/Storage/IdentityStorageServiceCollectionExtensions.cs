using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrderFlow.Functions.Storage;

/// <summary>
/// Registers token-authenticated storage clients ahead of <c>AddOrderFlowIntegrations</c>, whose TryAdd registrations
/// then keep them. Integrations itself only knows connection strings, which a shared-key-free account cannot serve.
/// </summary>
public static class IdentityStorageServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(IdentityStorageOptions.Section).Get<IdentityStorageOptions>();
        if (options is not { IsConfigured: true })
        {
            return services;
        }

        TokenCredential credential = string.IsNullOrWhiteSpace(options.ClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));

        services.TryAddSingleton(new TableServiceClient(options.TableServiceUri, credential));
        // Base64 messages, as Integrations configures its own queue client (Functions queue triggers expect them).
        services.TryAddSingleton(new QueueServiceClient(
            options.QueueServiceUri,
            credential,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        return services;
    }
}
