using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Api.Retention;
using OrderFlow.Host.Inventory;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Host.Tests.Inventory;

/// <summary>The host's reaper timer also runs the delivery payload retention, even when the reaper pass fails.</summary>
public sealed class ReservationReaperServiceTests
{
    [Fact]
    public async Task ExecuteAsync_ReaperPassFails_RetentionStillPurgesOnTheSameTick()
    {
        var store = new FakeDeliveryRetentionStore();
        var retention = new DeliveryRetention(
            store, Options.Create(new RetentionOptions { DeliveryPayloadDays = 30 }), NullLogger<DeliveryRetention>.Instance);

        // No workflow client: every reaper pass throws, as when the engine is away.
        using var service = new ReservationReaperService(
            new ReservationReaper(null!, NullLogger<ReservationReaper>.Instance),
            retention,
            null!,
            Options.Create(new InventoryOptions { ReaperInterval = TimeSpan.FromMilliseconds(50) }),
            TimeProvider.System,
            NullLogger<ReservationReaperService>.Instance);

        var before = DateTimeOffset.UtcNow;
        await service.StartAsync(CancellationToken.None);
        var cutoff = await store.Purged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.InRange(cutoff, before.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-30));
    }
}
