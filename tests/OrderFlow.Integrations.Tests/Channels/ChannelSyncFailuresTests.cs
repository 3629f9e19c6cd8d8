using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// A channel that keeps failing is never only a log line: the pusher over the real outbox and case queue on Azurite
/// opens one ChannelSyncFailed case once the failure streak is older than Channels:FailureCaseAfter, a run that pushes
/// everything ends the streak, and a later streak opens a case of its own. Each test uses its own channel name.
/// </summary>
public sealed class ChannelSyncFailuresTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TableChannelSyncOutbox outbox = new(storage.Tables);
    private readonly ManualClock clock = new(Start);
    private readonly Mock<IApproverAlert> alert = new();

    [Fact]
    public async Task RunOnceAsync_FailingLongerThanFailureCaseAfter_OpensOneCaseNamingTheChannelAndTheError_AndAlerts()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 4 }, 1);
        var channel = new RecordingChannel(NewName()) { Failure = new HttpRequestException("401 Unauthorized: invalid API key") };
        var (pusher, cases) = Pusher(TimeSpan.FromMinutes(30), channel);

        await pusher.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(29));
        await pusher.RunOnceAsync();

        Assert.Empty(await CasesOf(cases, channel.Name));

        clock.Advance(TimeSpan.FromMinutes(2));
        await pusher.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await pusher.RunOnceAsync();

        var opened = Assert.Single(await CasesOf(cases, channel.Name));
        Assert.Equal(ExceptionReason.ChannelSyncFailed, opened.Reason);
        Assert.Equal(OpenCaseRequest.NoWorkflow, opened.WorkflowId);
        Assert.False(opened.NamesAnOrder);
        Assert.Contains(channel.Name, opened.Error, StringComparison.Ordinal);
        Assert.Contains("invalid API key", opened.Error, StringComparison.Ordinal);
        Assert.Contains("3 runs", opened.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.Approve], opened.AllowedResolutions);
        alert.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(c => c.CaseId == opened.CaseId), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Single(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_FailureCaseAfterZero_OpensTheCaseAtTheFirstFailedRun()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 2 }, 1);
        var channel = new RecordingChannel(NewName()) { Failure = new SalesChannelRejectedException("Product not found for SKU") };
        var (pusher, cases) = Pusher(TimeSpan.Zero, channel);

        await pusher.RunOnceAsync();

        var opened = Assert.Single(await CasesOf(cases, channel.Name));
        Assert.Contains("Product not found for SKU", opened.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_SuccessEndsTheStreak_ShortFailuresNeverOpenACase_ALaterLongStreakOpensItsOwnCase()
    {
        var sku = NewSku();
        var channel = new RecordingChannel(NewName()) { Failure = new HttpRequestException("connection refused") };
        var (pusher, cases) = Pusher(TimeSpan.FromMinutes(30), channel);

        // Twenty minutes of failures, then a success: no case, and the streak is gone.
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 9 }, 1);
        await pusher.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(20));
        await pusher.RunOnceAsync();
        channel.Failure = null;
        await pusher.RunOnceAsync();

        // A second outage: its clock starts at its own first failure, not the first outage's.
        channel.Failure = new HttpRequestException("connection refused");
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 8 }, 2);
        clock.Advance(TimeSpan.FromMinutes(15));
        await pusher.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(20));
        await pusher.RunOnceAsync();
        Assert.Empty(await CasesOf(cases, channel.Name));

        clock.Advance(TimeSpan.FromMinutes(11));
        await pusher.RunOnceAsync();
        var first = Assert.Single(await CasesOf(cases, channel.Name));

        // Recovery, then a third long outage: a new case, the first one is not reopened or duplicated.
        channel.Failure = null;
        await pusher.RunOnceAsync();
        channel.Failure = new HttpRequestException("connection refused");
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 7 }, 3);
        clock.Advance(TimeSpan.FromMinutes(1));
        await pusher.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(31));
        await pusher.RunOnceAsync();

        var all = await CasesOf(cases, channel.Name);
        Assert.Equal(2, all.Count);
        Assert.Contains(all, c => c.CaseId == first.CaseId);
    }

    [Fact]
    public async Task RunOnceAsync_OneChannelFails_TheHealthyChannelOpensNoCase()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 3 }, 1);
        var healthy = new RecordingChannel(NewName());
        var broken = new RecordingChannel(NewName()) { Failure = new HttpRequestException("503") };
        var (pusher, cases) = Pusher(TimeSpan.Zero, broken, healthy);

        await pusher.RunOnceAsync();

        Assert.Single(await CasesOf(cases, broken.Name));
        Assert.Empty(await CasesOf(cases, healthy.Name));
    }

    private (ChannelSyncPusher Pusher, TableExceptionQueue Cases) Pusher(TimeSpan failureCaseAfter, params ISalesChannel[] channels)
    {
        var cases = new TableExceptionQueue(storage.Tables, alert.Object, clock, NullLogger<TableExceptionQueue>.Instance);
        var failures = new ChannelSyncFailures(
            outbox, cases, Options.Create(new ChannelsOptions { FailureCaseAfter = failureCaseAfter }), clock, NullLogger<ChannelSyncFailures>.Instance);
        return (new ChannelSyncPusher(outbox, channels, NullLogger<ChannelSyncPusher>.Instance, failures), cases);
    }

    private static async Task<List<ExceptionCase>> CasesOf(TableExceptionQueue cases, string channel) =>
        (await cases.ListOpenAsync()).Where(c => c.OrderId == $"channel-{channel.ToLowerInvariant()}").ToList();

    private static string NewName() => "Ch" + Guid.NewGuid().ToString("N")[..8];

    private static string NewSku() => "SKU-" + Guid.NewGuid().ToString("N")[..10];
}
