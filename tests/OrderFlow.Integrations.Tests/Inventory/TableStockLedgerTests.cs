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
    public async Task ReadAsync_AnAbandonedRunWroteMoreRowsUnderTheSequence_OnlyTheKeptOperationsRowsAreRead()
    {
        // A host wrote a two-location reservation as sequence 2 and died before the entity saved it; after the restart
        // another order's one-location reservation took sequence 2 first.
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        await ledger.RecordAsync(Moves(sku, 1, At, new StockMovement(1, "WH-EAST", 2, 0, "stock count", null, null, "api"), new StockMovement(1, "WH-WEST", 2, 0, "stock count", null, null, "api")));
        await ledger.RecordAsync(Moves(sku, 2, At, new StockMovement(2, "WH-EAST", 0, 2, StockReasons.Reserve, "order-a", null, "system"), new StockMovement(2, "WH-WEST", 0, 1, StockReasons.Reserve, "order-a", null, "system")));
        await ledger.RecordAsync(Moves(sku, 2, At, new StockMovement(2, "WH-EAST", 0, 1, StockReasons.Reserve, "order-b", null, "system")));

        var lines = await ledger.ReadAsync(sku);

        Assert.Equal([(1L, "WH-EAST", (string?)null), (1L, "WH-WEST", null), (2L, "WH-EAST", "order-b")], lines.Select(l => (l.Movement.Sequence, l.Movement.Location, l.Movement.OrderId)));
        Assert.Equal(1, lines.Sum(l => l.Movement.ReservedDelta));
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

    [Fact]
    public async Task NotifyAsync_RecentSales_EmailsAndStoresTheSuggestedQuantityFromTheWindowsShipments()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger(new InventoryOptions { PurchasingEmail = "purchasing@shop.example.com", LeadTimes = { [sku] = 7 } });
        await ledger.RecordAsync(Moves(sku, 1, At.AddDays(-40), new StockMovement(1, "WH-EAST", -500, -500, StockReasons.Commit, "order-old", "f-old", "system")));
        await ledger.RecordAsync(Moves(sku, 2, At.AddDays(-20), new StockMovement(2, "WH-EAST", -30, -30, StockReasons.Commit, "order-1", "f-1", "system")));
        await ledger.RecordAsync(Moves(sku, 3, At.AddDays(-2), new StockMovement(3, "WH-WEST", -26, -26, StockReasons.Commit, "order-2", "f-2", "system")));
        await ledger.RecordAsync(Moves(sku, 4, At.AddDays(-1), new StockMovement(4, "WH-WEST", -9, 0, "damaged", null, null, "api")));
        var alert = new LowStockAlert(sku, 5, 4, 10);
        await ledger.RecordAsync(new StockJournalEntry(sku, 5, At, [], new Dictionary<string, int>(), alert));
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).Callback<EmailMessage, CancellationToken>((m, _) => sent = m).ReturnsAsync("id");

        Assert.True(await ledger.NotifyAsync(alert));

        // 56 units shipped in the last 28 days (2/day; the 40-day-old shipment and the write-off do not count) x (7 days
        // lead time + 14 days cover) = 42, plus the threshold 10: order up to 52 with 4 available -> 48.
        Assert.NotNull(sent);
        Assert.Contains("suggest ordering 48", sent!.Subject, StringComparison.Ordinal);
        Assert.Contains("56 units sold in the last 28 days", sent.TextBody, StringComparison.Ordinal);
        var listed = Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku);
        Assert.Equal(48, listed.SuggestedQuantity);
        Assert.Contains("order up to 52", listed.Suggestion, StringComparison.Ordinal);
        Assert.Null(listed.ClosedAt);
    }

    [Fact]
    public async Task NotifyAsync_SplitSku_SalesRateCountsTheShipmentsOfAllItsEntities()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var options = new InventoryOptions { PurchasingEmail = "purchasing@shop.example.com", LeadTimes = { [sku] = 7 }, SplitSkus = { [sku] = 2 } };
        var ledger = Ledger(options);
        await ledger.RecordAsync(Moves(sku, 1, At.AddDays(-20), new StockMovement(1, "WH-EAST", -30, -30, StockReasons.Commit, "order-1", "f-1", "system")));
        await ledger.RecordAsync(Moves(StockShards.Key(sku, 1), 1, At.AddDays(-2), new StockMovement(1, "WH-EAST", -26, -26, StockReasons.Commit, "order-2", "f-2", "system")));
        var alert = new LowStockAlert(sku, 2, 4, 10);
        await ledger.RecordAsync(new StockJournalEntry(sku, 2, At, [], new Dictionary<string, int>(), alert));

        await ledger.NotifyAsync(alert);

        // 30 shipped from the SKU's own entity and 26 from its shard: 56 in 28 days, as for an unsplit SKU -> 48.
        Assert.Equal(48, Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku).SuggestedQuantity);
    }

    [Fact]
    public async Task NotifyAsync_NoSalesInTheWindow_SuggestsTwiceTheThreshold()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        var alert = new LowStockAlert(sku, 3, 1, 6);
        await ledger.RecordAsync(new StockJournalEntry(sku, 3, At, [], new Dictionary<string, int>(), alert));

        await ledger.NotifyAsync(alert);

        Assert.Equal(11, Assert.Single(await ledger.ListAsync(100), a => a.Sku == sku).SuggestedQuantity);
    }

    [Fact]
    public async Task RecordAsync_Receipt_ClosesThatSkusOpenSuggestionsOnlyAndACountCorrectionDoesNot()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var other = $"SKU-{Guid.NewGuid():N}";
        var ledger = Ledger();
        foreach (var (s, seq) in new[] { (sku, 3L), (other, 4L) })
        {
            var alert = new LowStockAlert(s, seq, 1, 5);
            await ledger.RecordAsync(new StockJournalEntry(s, seq, At, [], new Dictionary<string, int>(), alert));
            await ledger.NotifyAsync(alert);
        }

        await ledger.RecordAsync(Moves(sku, 5, At, new StockMovement(5, "WH-EAST", 4, 0, "count-correction", null, null, "api")));
        var afterCount = StockAlertRecord.OpenSuggestions(await ledger.ListAsync(int.MaxValue));
        await ledger.RecordAsync(Moves(sku, 6, At.AddHours(2), new StockMovement(6, "WH-EAST", 40, 0, "received PO-7", null, null, "api")));
        var all = await ledger.ListAsync(int.MaxValue);
        var open = StockAlertRecord.OpenSuggestions(all);

        Assert.Contains(afterCount, a => a.Sku == sku);
        var closed = Assert.Single(all, a => a.Sku == sku);
        Assert.Equal((At.AddHours(2), "received PO-7"), (closed.ClosedAt, closed.ClosedBy));
        Assert.DoesNotContain(open, a => a.Sku == sku);
        Assert.Contains(open, a => a.Sku == other);
    }

    private TableStockLedger Ledger(InventoryOptions? options = null) => new(
        storage.Tables,
        channels.Object,
        email.Object,
        Microsoft.Extensions.Options.Options.Create(options ?? new InventoryOptions { PurchasingEmail = "purchasing@shop.example.com" }),
        Microsoft.Extensions.Options.Options.Create(TestStore.Options()),
        new ManualClock(At),
        NullLogger<TableStockLedger>.Instance);

    private static StockJournalEntry Moves(string sku, long sequence, DateTimeOffset at, params StockMovement[] movements) =>
        new(sku, sequence, at, movements, new Dictionary<string, int>(), null);

    private static StockJournalEntry Entry(string sku, SkuInventory stock)
    {
        var (movements, alert) = stock.TakeJournal();
        return new StockJournalEntry(sku, stock.Sequence, At, movements, stock.Locations.ToDictionary(l => l.Key, l => l.Value.Available), alert);
    }
}
