using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Host.Reconciliation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Tests.Reconciliation;

/// <summary>The host starts the previous day's reconciliation at Reconciliation:DailyAt (UTC), catching up at start-up.</summary>
public sealed class ReconciliationSchedulerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Scheduler_StartedPastTheDailyTime_StartsYesterdayAtOnceThenTheNextDayAtTheTime()
    {
        var (clock, workflows, scheduler) = await StartAtAsync(3, new ReconciliationOptions { DailyAt = TimeSpan.FromHours(2) });
        using var running = scheduler;
        var catchUp = await workflows.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var nextDay = await AdvanceToNextStartAsync(clock, workflows, TimeSpan.FromHours(23));
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal(("reconcile-20261125-20261125", "reconcile-20261126-20261126"), (catchUp, nextDay));
    }

    [Fact]
    public async Task Scheduler_StartedBeforeTheDailyTime_StartsYesterdayOnceTheTimeComes()
    {
        var (clock, workflows, scheduler) = await StartAtAsync(1, new ReconciliationOptions { DailyAt = TimeSpan.FromHours(2) });
        using var running = scheduler;
        var started = await AdvanceToNextStartAsync(clock, workflows, TimeSpan.FromHours(1));
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal("reconcile-20261125-20261125", started);
    }

    [Fact]
    public async Task Scheduler_Disabled_StartsNothing()
    {
        var (_, workflows, scheduler) = await StartAtAsync(3, new ReconciliationOptions { Enabled = false });
        using var running = scheduler;
        await scheduler.ExecuteTask!.WaitAsync(Wait);

        Assert.False(workflows.Started.Reader.TryRead(out _));
    }

    /// <summary>Once the scheduler waits (nothing started meanwhile), moves the clock on and returns the run it then starts (the only one).</summary>
    private static async Task<string> AdvanceToNextStartAsync(SteppedClock clock, RecordingWorkflowClient workflows, TimeSpan by)
    {
        await clock.TimerSetAsync(Wait);
        Assert.False(workflows.Started.Reader.TryRead(out _));
        clock.Advance(by);
        var started = await workflows.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.False(workflows.Started.Reader.TryRead(out _));
        return started;
    }

    /// <summary>A scheduler started on 2026-11-26 at <paramref name="hour"/>:00 UTC on a stepped clock, recording what it starts.</summary>
    private static async Task<(SteppedClock Clock, RecordingWorkflowClient Workflows, ReconciliationScheduler Scheduler)> StartAtAsync(int hour, ReconciliationOptions options)
    {
        var clock = new SteppedClock(new DateTimeOffset(2026, 11, 26, hour, 0, 0, TimeSpan.Zero));
        var workflows = new RecordingWorkflowClient();
        var daily = new DailyReconciliation(Options.Create(options), Options.Create(new WorkflowOptions()), clock, NullLogger<DailyReconciliation>.Instance);
        var scheduler = new ReconciliationScheduler(daily, workflows, Options.Create(options), clock, NullLogger<ReconciliationScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        return (clock, workflows, scheduler);
    }

    /// <summary>Records the reconciliation runs started, in order.</summary>
    private sealed class RecordingWorkflowClient : IWorkflowClient
    {
        public Channel<string> Started { get; } = Channel.CreateUnbounded<string>();

        public Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default)
        {
            Assert.Equal(nameof(ReconciliationOrchestrator), orchestratorName);
            Assert.IsType<ReconciliationRequest>(input);
            return Task.FromResult(this.Started.Writer.TryWrite(instanceId));
        }

        public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) => Task.FromResult(default(T));

        public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
            string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
