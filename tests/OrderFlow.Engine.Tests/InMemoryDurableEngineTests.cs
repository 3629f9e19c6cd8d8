using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderFlow.Engine;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>The engine on the in-memory backend.</summary>
public sealed class InMemoryDurableEngineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Activity_WithConstructorInjectedService_ReturnsServiceResult()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync(
            services => services.AddSingleton(new GreetingFormatter("Hej")));

        Assert.True(await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("greet-1", "Ada"));
        WorkflowInstanceStatus status = await harness.Client.WaitForCompletionAsync("greet-1", Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("Hej, Ada!", status.ReadOutputAs<string>());
        Assert.Equal(nameof(GreetingOrchestrator), status.Name);
    }

    [Fact]
    public async Task LockedCriticalSection_200ConcurrentOrchestrationsOverTwoEntities_LosesNoUpdate()
    {
        const int count = 200;
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();
        var pair = new CounterPair("first", "second");

        bool[] created = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => harness.Client.StartOrchestrationAsync<LockedIncrementOrchestrator>($"inc-{i}", pair)));
        WorkflowInstanceStatus[] done = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => harness.Client.WaitForCompletionAsync($"inc-{i}", Timeout)));

        Assert.All(created, Assert.True);
        Assert.All(done, s => Assert.Equal(OrchestrationRuntimeStatus.Completed, s.RuntimeStatus));

        // Each critical section saw the value the previous one wrote: 1..200, each exactly once.
        Assert.Equal(Enumerable.Range(1, count), done.Select(s => s.ReadOutputAs<int>()).Order());
        Assert.Equal(count, await harness.Client.GetEntityStateAsync<int>(new EntityInstanceId(nameof(CounterEntity), "first")));
        Assert.Equal(count, await harness.Client.GetEntityStateAsync<int>(new EntityInstanceId(nameof(CounterEntity), "second")));
    }

    [Fact]
    public async Task ExternalEvent_RaisedByClient_ResumesWaitingOrchestration()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();
        var request = new ApprovalRequest("order-17", 12_50);

        await harness.Client.StartOrchestrationAsync<ApprovalOrchestrator>("approval-1", request);
        WorkflowInstanceStatus waiting = await harness.Client.WaitForStartAsync("approval-1", Timeout);
        await harness.Client.RaiseEventAsync("approval-1", ApprovalOrchestrator.EventName, new ApprovalDecision(true, "ops@example.test"));
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("approval-1", Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        Assert.Equal(request, waiting.ReadCustomStatusAs<ApprovalRequest>());
        Assert.Equal(request, waiting.ReadInputAs<ApprovalRequest>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new ApprovalDecision(true, "ops@example.test"), done.ReadOutputAs<ApprovalDecision>());
    }

    [Fact]
    public async Task PurgeInstanceState_CompletedInstance_RemovesItAndLeavesOthers()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync(
            services => services.AddSingleton(new GreetingFormatter("Hi")));
        await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("purge-1", "Ada");
        await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("purge-2", "Bob");
        await harness.Client.WaitForCompletionAsync("purge-1", Timeout);
        await harness.Client.WaitForCompletionAsync("purge-2", Timeout);

        var purger = Assert.IsAssignableFrom<global::DurableTask.Core.IOrchestrationServicePurgeClient>(harness.Engine.OrchestrationService);
        global::DurableTask.Core.PurgeResult purged = await purger.PurgeInstanceStateAsync("purge-1");

        Assert.Equal(1, purged.DeletedInstanceCount);
        Assert.Null(await harness.Client.GetStatusAsync("purge-1"));
        Assert.Equal("Hi, Bob!", (await harness.Client.GetStatusAsync("purge-2"))!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartOrchestration_SameInstanceIdTwice_CreatesOneInstance()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();

        bool first = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once", "first");
        bool secondWhileRunningOrDone = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once", "second");
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("once", Timeout);
        bool thirdAfterCompletion = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once", "third");

        Assert.True(first);
        Assert.False(secondWhileRunningOrDone);
        Assert.False(thirdAfterCompletion);
        Assert.Equal("Hello, first!", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartOrchestration_SameInstanceIdConcurrently_ExactlyOneCallCreatesIt()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();

        string[] names = Enumerable.Range(0, 16).Select(i => $"caller{i}").ToArray();
        bool[] created = await Task.WhenAll(names.Select(name => harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("race", name)));
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("race", Timeout);

        Assert.Single(created, c => c);
        Assert.Equal($"Hello, {names[Array.IndexOf(created, true)]}!", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task EntityState_AfterOrchestrationCallsAndClientSignal_IsReadableFromClient()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();
        var counter = new EntityInstanceId(nameof(CounterEntity), "reader");

        await harness.Client.StartOrchestrationAsync<EntityCallerOrchestrator>("caller", "reader");
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("caller", Timeout);
        int afterOrchestration = await harness.Client.GetEntityStateAsync<int>(counter);
        await harness.Client.SignalEntityAsync(counter, nameof(CounterEntity.Add), 10);
        int afterSignal = await EventuallyAsync(() => harness.Client.GetEntityStateAsync<int>(counter), value => value == 15);

        Assert.Equal(5, done.ReadOutputAs<int>());
        Assert.Equal(5, afterOrchestration);
        Assert.Equal(15, afterSignal);
        Assert.Null(await harness.Client.GetEntityStateAsync<int?>(new EntityInstanceId(nameof(CounterEntity), "never-used")));
    }

    [Fact]
    public async Task SubOrchestration_Parent_IsTheCallingInstance()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();

        await harness.Client.StartOrchestrationAsync<ParentOrchestrator>("parent-1", "x");
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("parent-1", Timeout);

        Assert.Equal($"{nameof(ParentOrchestrator)}/parent-1", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FailingActivity_Unhandled_FailsOrchestrationWithMessage()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();

        await harness.Client.StartOrchestrationAsync<FailingOrchestrator>("fails", "label-9");
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("fails", Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("Carrier rejected label-9", done.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCompletion_InstanceStillWaiting_ThrowsTimeoutWithStatus()
    {
        await using EngineHarness harness = await EngineHarness.StartInMemoryAsync();
        await harness.Client.StartOrchestrationAsync<ApprovalOrchestrator>("never-approved", new ApprovalRequest("o", 1));
        await harness.Client.WaitForStartAsync("never-approved", Timeout);

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(
            () => harness.Client.WaitForCompletionAsync("never-approved", TimeSpan.FromMilliseconds(200)));

        Assert.Contains("Running", error.Message, StringComparison.Ordinal);
        Assert.Null(await harness.Client.GetStatusAsync("no-such-instance"));
    }

    [Fact]
    public async Task GenericHost_AddDurableEngine_RunsEngineAsHostedService()
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new GreetingFormatter("Hi"));
        builder.Services.AddDurableEngine(o => o.TaskHubName = EngineHarness.NewTaskHubName(), EngineHarness.RegisterTestWorkflows);
        using IHost host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<TaskHubWorkflowClient>();

        await client.StartOrchestrationAsync<GreetingOrchestrator>("hosted", "host");
        WorkflowInstanceStatus done = await client.WaitForCompletionAsync("hosted", Timeout);
        await host.StopAsync();

        Assert.Equal("Hi, host!", done.ReadOutputAs<string>());
        Assert.False(host.Services.GetRequiredService<DurableEngine>().IsRunning);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        T value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            value = await read();
        }

        return value;
    }
}
