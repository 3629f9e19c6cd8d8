using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Inventory;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Inventory;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Inventory;

/// <summary>The movement ledger and low-stock alerts in Azure Tables (Azurite).</summary>
public sealed class TableStockLedgerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<IChannelSyncOutbox> channels = new();

    [Fact]
    public async Task RecordAsync_SameSequenceAgain_OverwritesItsRowsAndSumsStayTrue()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        var stock = new SkuInventory();
        stock.SetOnHand(sku, "WH-EAST", 5, "api", "stock count", At);
        await ledger.RecordAsync(Entry(sku, stock));
        stock.Reserve(sku, "order-1", 2, At);
        var reserve = Entry(sku, stock);
        await ledger.RecordAsync(reserve);
        await ledger.RecordAsync(reserve);

        var lines = await ledger.ReadAsync(sku);

        Assert.Equal(2, lines.Count);
        Assert.Equal((5, 2), (lines.Sum(l => l.Movement.OnHandDelta), lines.Sum(l => l.Movement.ReservedDelta)));
        Assert.Equal(StockReasons.Reserve, lines[1].Movement.Reason);
        Assert.Equal("order-1", lines[1].Movement.OrderId);
        channels.Verify(c => c.RecordAsync(sku, It.Is<IReadOnlyDictionary<string, int>>(a => a["WH-EAST"] == 3), reserve.Sequence, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task NotifyAsync_SameAlertTwice_EmailsPurchasingOnceAndListsIt()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        var alert = new LowStockAlert(sku, 7, 2, 5);
        await ledger.RecordAsync(new StockJournalEntry(sku, 7, At, [], new Dictionary<string, int>(), alert));

        Assert.True(await ledger.NotifyAsync(alert));
        Assert.False(await ledger.NotifyAsync(alert));

        email.Verify(e => e.SendAsync(It.Is<EmailMessage>(m => m.ToAddress == "purchasing@shop.example.com" && m.Subject.Contains(sku, StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        var listed = Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku);
        Assert.Equal((2, 5), (listed.Available, listed.Threshold));
        Assert.NotNull(listed.NotifiedAt);
    }

    [Fact]
    public async Task RecordNotifyFailureAsync_EmailFailed_ListedWithTheFailureUntilAnEmailGoesOut()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        var alert = new LowStockAlert(sku, 9, 1, 5);
        await ledger.RecordAsync(new StockJournalEntry(sku, 9, At, [], new Dictionary<string, int>(), alert));
        email.SetupSequence(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("connection refused"))
            .ReturnsAsync("message-id");

        await Assert.ThrowsAsync<IOException>(() => ledger.NotifyAsync(alert));
        await ledger.RecordNotifyFailureAsync(alert, "Purchasing email failed: IOException: connection refused");
        var failed = Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku);
        Assert.True(await ledger.NotifyAsync(alert));
        var sent = Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku);

        Assert.Equal(("Purchasing email failed: IOException: connection refused", (DateTimeOffset?)null), (failed.NotifyError, failed.NotifiedAt));
        Assert.Equal((1, 5, At), (failed.Available, failed.Threshold, failed.RaisedAt));
        Assert.Null(sent.NotifyError);
        Assert.NotNull(sent.NotifiedAt);
    }

    private TableStockLedger Ledger() => new(
        storage.Tables,
        channels.Object,
        email.Object,
        Microsoft.Extensions.Options.Options.Create(new InventoryOptions { PurchasingEmail = "purchasing@shop.example.com" }),
        Microsoft.Extensions.Options.Options.Create(TestStore.Options()),
        new ManualClock(At),
        NullLogger<TableStockLedger>.Instance);

    private static StockJournalEntry Entry(string sku, SkuInventory stock)
    {
        var (movements, alert) = stock.TakeJournal();
        return new StockJournalEntry(sku, stock.Sequence, At, movements, stock.Locations.ToDictionary(l => l.Key, l => l.Value.Available), alert);
    }
}
