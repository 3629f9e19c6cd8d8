using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// <see cref="DurableEngineOptions.InMemoryFinishedInstanceRetention"/>: a finished instance is purged once it has been
/// finished for the retention; running instances and entities are kept; without the setting nothing is purged. The
/// sweep is driven with an explicit clock (<see cref="InMemoryRetention.PurgeExpiredAsync"/>), never by waiting.
/// </summary>
public sealed class InMemoryRetentionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task FinishedInstance_IsPurgedAfterTheRetention_NotBefore()
    {
        await using var harness = await StartAsync(Retention);
        var retention = RetentionOf(harness);
        await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("kept-a-while", "Ada");
        await harness.Client.WaitForCompletionAsync("kept-a-while", Timeout);
        await retention.WhenQueuedAsync("kept-a-while").WaitAsync(Timeout);

        var early = await retention.PurgeExpiredAsync(DateTime.UtcNow + Retention - TimeSpan.FromMinutes(1));
        var stillThere = await harness.Client.GetStatusAsync("kept-a-while");
        var late = await retention.PurgeExpiredAsync(DateTime.UtcNow + Retention + TimeSpan.FromMinutes(1));

        Assert.Equal(0, early);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, stillThere!.RuntimeStatus);
        Assert.Equal(1, late);
        Assert.Null(await harness.Client.GetStatusAsync("kept-a-while"));
    }

    [Fact]
    public async Task RunningInstanceAndEntity_AreKept()
    {
        await using var harness = await StartAsync(Retention);
        var retention = RetentionOf(harness);
        var counter = new EntityInstanceId(nameof(CounterEntity), "kept");
        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("waiting", 3600);
        await harness.Client.StartOrchestrationAsync<EntityCallerOrchestrator>("caller", counter.Key);
        await harness.Client.WaitForStartAsync("waiting", Timeout);
        await harness.Client.WaitForCompletionAsync("caller", Timeout);
        await retention.WhenQueuedAsync("caller").WaitAsync(Timeout);

        var purged = await retention.PurgeExpiredAsync(DateTime.UtcNow + TimeSpan.FromDays(1));

        Assert.Equal(1, purged); // the finished caller only
        Assert.Null(await harness.Client.GetStatusAsync("caller"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await harness.Client.GetStatusAsync("waiting"))!.RuntimeStatus);
        Assert.NotEqual(0, await harness.Client.GetEntityStateAsync<int>(counter));
    }

    [Fact]
    public async Task WithoutTheSetting_NothingIsQueuedForPurging()
    {
        await using var harness = await EngineHarness.StartInMemoryAsync();
        var service = Assert.IsType<InMemoryEntityOrchestrationService>(harness.Engine.OrchestrationService);

        await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("kept-forever", "Bob");
        await harness.Client.WaitForCompletionAsync("kept-forever", Timeout);

        Assert.Null(service.Retention);
        Assert.NotNull(await harness.Client.GetStatusAsync("kept-forever"));
    }

    [Theory]
    [InlineData(DurableEngineBackend.AzureStorage, 10)]
    [InlineData(DurableEngineBackend.InMemory, 0.5)]
    public void Retention_OnAnotherBackendOrUnderAMinute_IsRefused(DurableEngineBackend backend, double minutes)
    {
        var options = new DurableEngineOptions
        {
            Backend = backend,
            StorageConnectionString = "UseDevelopmentStorage=true",
            InMemoryFinishedInstanceRetention = TimeSpan.FromMinutes(minutes),
        };

        var ex = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("InMemoryFinishedInstanceRetention works on the InMemory backend only", ex.Message, StringComparison.Ordinal);
    }

    private static InMemoryRetention RetentionOf(EngineHarness harness)
        => Assert.IsType<InMemoryEntityOrchestrationService>(harness.Engine.OrchestrationService).Retention!;

    private static Task<EngineHarness> StartAsync(TimeSpan retention) =>
        EngineHarness.StartAsync(o =>
        {
            o.Backend = DurableEngineBackend.InMemory;
            o.TaskHubName = EngineHarness.NewTaskHubName();
            o.StatusPollingInterval = TimeSpan.FromMilliseconds(20);
            o.InMemoryFinishedInstanceRetention = retention;
        });
}
