using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Options;
using OrderFlow.Api.Retention;
using OrderFlow.Functions.Triggers;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Tests;

/// <summary>The reaper's timer also runs the delivery payload retention on Azure.</summary>
public sealed class ReservationReaperTimerTriggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReservationReaperTimer_ReaperPassFails_RetentionStillPurgesOlderThanTheWindow()
    {
        var catalog = new Mock<ICatalog>();
        catalog.Setup(c => c.ListSkusAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("storage away"));
        var store = new Mock<IDeliveryRetentionStore>();
        store.Setup(s => s.PurgePayloadsAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(new DeliveryPurgeResult(1, 2));
        var trigger = new ReservationReaperTimerTrigger(
            new ReservationReaper(catalog.Object, NullLogger<ReservationReaper>.Instance),
            new DeliveryRetention(store.Object, Microsoft.Extensions.Options.Options.Create(new RetentionOptions { DeliveryPayloadDays = 30 }), NullLogger<DeliveryRetention>.Instance),
            new FixedClock(Now));

        await Assert.ThrowsAsync<InvalidOperationException>(() => trigger.ReservationReaperTimer(null!, new Mock<DurableTaskClient>("test").Object, CancellationToken.None));

        store.Verify(s => s.PurgePayloadsAsync(Now.AddDays(-30), It.IsAny<CancellationToken>()), Times.Once);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
