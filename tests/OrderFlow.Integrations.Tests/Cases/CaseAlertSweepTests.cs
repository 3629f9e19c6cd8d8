using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Cases;

/// <summary>
/// The alert half of the case sweeper on Azurite: cases whose alert failed while mail was down are alerted once when
/// it is back; young cases are left to their opening step; a pass stops early while the channel is still down; two
/// senders of one alert send it once. Each test has tables of its own (the sweep reads every open case).
/// </summary>
public sealed class CaseAlertSweepTests : IAsyncLifetime
{
    private static readonly DateTimeOffset OpenedAt = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly StorageFixture storage = new();
    private readonly ManualClock clock = new(OpenedAt);
    private readonly Mock<IApproverAlert> alert = new();
    private bool mailDown;

    public CaseAlertSweepTests()
    {
        alert.Setup(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()))
            .Returns(() => mailDown ? Task.FromException(new IOException("connection refused")) : Task.CompletedTask);
    }

    private TableExceptionQueue Queue => new(storage.Tables, alert.Object, clock, NullLogger<TableExceptionQueue>.Instance);

    private CaseAlertSweep Sweep => new(Queue, Queue, clock, NullLogger<CaseAlertSweep>.Instance);

    public Task InitializeAsync() => storage.InitializeAsync();

    public Task DisposeAsync() => storage.DisposeAsync();

    [Fact]
    public async Task ResendAsync_MailDownThenBack_EachFailedCaseAlertedOnceAndItsFailureCleared()
    {
        var ids = await OpenAsync(2);
        mailDown = true;
        foreach (var id in ids)
        {
            await Assert.ThrowsAsync<IOException>(() => Queue.AlertAsync(id));
            await Queue.RecordAlertFailureAsync(id, "Approver alert failed: IOException: connection refused");
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        var whileDown = await Sweep.ResendAsync(default);
        mailDown = false;
        clock.Advance(TimeSpan.FromMinutes(1));
        var whenBack = await Sweep.ResendAsync(default);
        var afterwards = await Sweep.ResendAsync(default);

        Assert.Equal((0, 2, 0), (whileDown, whenBack, afterwards));
        foreach (var id in ids)
        {
            var stored = (await Queue.GetAsync(id))!;
            Assert.NotNull(stored.AlertedAt);
            Assert.Null(stored.AlertError);
        }

        // Two failed attempts per case while down (the opening one and the sweep's), then exactly one that went out.
        alert.Verify(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()), Times.Exactly(6));
    }

    [Fact]
    public async Task ResendAsync_CaseOpenedLessThanAMinuteAgo_LeftToItsOpeningStep()
    {
        var ids = await OpenAsync(1);
        clock.Advance(CaseAlertSweep.AlertAfter - TimeSpan.FromSeconds(2));

        Assert.Equal(0, await Sweep.ResendAsync(default));
        alert.VerifyNoOtherCalls();

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await Sweep.ResendAsync(default));
        Assert.NotNull((await Queue.GetAsync(ids[0]))!.AlertedAt);
    }

    [Fact]
    public async Task ResendAsync_MailStillDown_StopsAfterThreeFailuresAndNextPassStartsWithTheOthers()
    {
        var ids = await OpenAsync(5);
        mailDown = true;
        clock.Advance(TimeSpan.FromMinutes(2));

        await Sweep.ResendAsync(default);
        var tried = alert.Invocations.Select(i => ((ExceptionCase)i.Arguments[0]!).CaseId).ToList();
        alert.Invocations.Clear();
        clock.Advance(TimeSpan.FromMinutes(1));
        await Sweep.ResendAsync(default);
        var triedNext = alert.Invocations.Select(i => ((ExceptionCase)i.Arguments[0]!).CaseId).ToList();

        Assert.Equal(ids.Take(CaseAlertSweep.MaxConsecutiveFailures), tried);
        Assert.Equal(ids.Skip(CaseAlertSweep.MaxConsecutiveFailures).Append(ids[0]), triedNext);
        foreach (var id in tried)
        {
            Assert.StartsWith("Approver alert failed: IOException", (await Queue.GetAsync(id))!.AlertError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResendAsync_AlertedRemindedOrDecidedCases_NotAlertedAgain()
    {
        var ids = await OpenAsync(3);
        await Queue.AlertAsync(ids[0]);
        await Queue.RemindAsync(ids[1]);
        Assert.True(await Queue.TryRecordDecisionAsync(ids[2], CaseResolution.Cancel, "ops@example.test", null, CaseStatuses.Decided));
        alert.Invocations.Clear();
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(0, await Sweep.ResendAsync(default));
        alert.Verify(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AlertAsync_TwoSendersAtOnce_OnlyOneAlertGoesOut()
    {
        var ids = await OpenAsync(1);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new Mock<IApproverAlert>();
        slow.Setup(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                entered.TrySetResult();
                await release.Task;
            });
        var queue = new TableExceptionQueue(storage.Tables, slow.Object, clock, NullLogger<TableExceptionQueue>.Instance);

        var first = queue.AlertAsync(ids[0]);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await queue.AlertAsync(ids[0]);
        release.SetResult();
        await first;

        slow.Verify(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.NotNull((await queue.GetAsync(ids[0]))!.AlertedAt);
    }

    [Fact]
    public async Task AlertAsync_SenderStoppedHoldingTheClaim_AnotherMaySendOnceTheClaimExpires()
    {
        var ids = await OpenAsync(1);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new Mock<IApproverAlert>();
        hanging.Setup(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                entered.TrySetResult();
                return never.Task;
            });
        var stuck = new TableExceptionQueue(storage.Tables, hanging.Object, clock, NullLogger<TableExceptionQueue>.Instance).AlertAsync(ids[0]);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TableExceptionQueue.AlertClaim - TimeSpan.FromSeconds(1));
        await Queue.AlertAsync(ids[0]);
        alert.VerifyNoOtherCalls();

        clock.Advance(TimeSpan.FromSeconds(2));
        await Queue.AlertAsync(ids[0]);
        alert.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(c => c.CaseId == ids[0]), It.IsAny<CancellationToken>()), Times.Once);
        Assert.NotNull((await Queue.GetAsync(ids[0]))!.AlertedAt);

        // The stuck sender finishing late stamps the case again but sends nothing more.
        never.SetResult();
        await stuck;
        hanging.Verify(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private async Task<List<string>> OpenAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            const ExceptionReason reason = ExceptionReason.AddressInvalid;
            var id = $"case-{i}-{Guid.NewGuid():N}";
            await Queue.OpenAsync(new OpenCaseRequest(id, $"order-{i}", reason, "validate", "Address rule failed.", CasePolicy.AllowedResolutions(reason), OpenedAt.AddDays(3)));
            ids.Add(id);

            // Opened one second apart: the sweep's order (oldest first) is the order of the list.
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        return ids;
    }
}
