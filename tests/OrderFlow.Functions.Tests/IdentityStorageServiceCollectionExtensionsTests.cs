using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Functions.Storage;
using OrderFlow.Integrations.Configuration;

namespace OrderFlow.Functions.Tests;

public sealed class IdentityStorageServiceCollectionExtensionsTests
{
    [Fact]
    public void AddIdentityStorageClients_ServiceUrisSet_ClientsTargetThoseUrisAndSurviveIntegrations()
    {
        using var provider = Build(new()
        {
            ["Storage:TableServiceUri"] = "https://stexample.table.core.windows.net/",
            ["Storage:QueueServiceUri"] = "https://stexample.queue.core.windows.net/",
            ["Storage:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("stexample", provider.GetRequiredService<TableServiceClient>().AccountName);
        var queues = provider.GetRequiredService<QueueServiceClient>();
        Assert.Equal(new Uri("https://stexample.queue.core.windows.net/"), queues.Uri);
    }

    [Fact]
    public void AddIdentityStorageClients_NoServiceUris_LeavesTheConnectionStringClients()
    {
        using var provider = Build(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.Equal("devstoreaccount1", provider.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal("devstoreaccount1", provider.GetRequiredService<QueueServiceClient>().AccountName);
    }

    [Fact]
    public void AddIdentityStorageClients_EmptyServiceUrisAsInTheSample_LeavesTheConnectionStringClients()
    {
        // local.settings.sample.json lists the identity settings empty: local runs keep Azurite's connection string.
        using var provider = Build(new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:TableServiceUri"] = "",
            ["Storage:QueueServiceUri"] = "",
            ["Storage:ClientId"] = "",
        });

        Assert.Equal("devstoreaccount1", provider.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal("devstoreaccount1", provider.GetRequiredService<QueueServiceClient>().AccountName);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddIdentityStorageClients(configuration)
            .AddOrderFlowIntegrations(configuration)
            .BuildServiceProvider();
    }
}
