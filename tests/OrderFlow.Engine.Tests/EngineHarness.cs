using OrderFlow.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>A started durable engine with the test workflows, its client, and its container. Dispose stops it.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private EngineHarness(ServiceProvider provider)
    {
        this.provider = provider;
        this.Engine = provider.GetRequiredService<DurableEngine>();
        this.Client = provider.GetRequiredService<TaskHubWorkflowClient>();
    }

    public DurableEngine Engine { get; }

    public TaskHubWorkflowClient Client { get; }

    /// <summary>A fresh task hub name: letters and digits, starting with a letter.</summary>
    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..20];

    public static void RegisterTestWorkflows(DurableEngineRegistry registry) => registry
        .AddOrchestrator<GreetingOrchestrator>()
        .AddOrchestrator<LockedIncrementOrchestrator>()
        .AddOrchestrator<EntityCallerOrchestrator>()
        .AddOrchestrator<ApprovalOrchestrator>()
        .AddOrchestrator<ParentOrchestrator>()
        .AddOrchestrator<ChildOrchestrator>()
        .AddOrchestrator<FailingOrchestrator>()
        .AddOrchestrator<DeadlineOrchestrator>()
        .AddOrchestrator<LockHolderOrchestrator>()
        .AddActivity<GreetingActivity>()
        .AddActivity<FailingActivity>()
        .AddEntity<CounterEntity>();

    public static Task<EngineHarness> StartInMemoryAsync(Action<IServiceCollection>? services = null)
        => StartAsync(
            o =>
            {
                o.Backend = DurableEngineBackend.InMemory;
                o.TaskHubName = NewTaskHubName();
                o.StatusPollingInterval = TimeSpan.FromMilliseconds(20);
            },
            services);

    public static async Task<EngineHarness> StartAzureStorageAsync(string taskHubName, string workerId)
    {
        await AzuriteConnection.EnsureReachableAsync();
        return await StartAsync(o =>
        {
            o.Backend = DurableEngineBackend.AzureStorage;
            o.StorageConnectionString = AzuriteConnection.ConnectionString;
            o.TaskHubName = taskHubName;
            o.WorkerId = workerId;
            o.PartitionCount = 2;
            o.StatusPollingInterval = TimeSpan.FromMilliseconds(100);
        });
    }

    public static async Task<EngineHarness> StartAsync(Action<DurableEngineOptions> configure, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton(new GreetingFormatter("Hello"));
        services?.Invoke(collection);
        collection.AddDurableEngine(configure, RegisterTestWorkflows);
        ServiceProvider provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            await provider.GetRequiredService<DurableEngine>().StartAsync(CancellationToken.None);
            return new EngineHarness(provider);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => this.provider.DisposeAsync();
}
