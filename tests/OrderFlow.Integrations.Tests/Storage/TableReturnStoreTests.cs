using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Returns;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Storage;

/// <summary>Returns in Azurite Tables: idempotent create, per-order listing, updates carrying the receipt and refund.</summary>
public sealed class TableReturnStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CreateUpdateAndRead_RoundTripsTheWholeReturn()
    {
        var store = new TableReturnStore(storage.Tables, NullLogger<TableReturnStore>.Instance);
        var orderId = $"shop-{Guid.NewGuid():N}";
        var returnId = ReturnWorkflowInput.ReturnIdFor(orderId, 1);
        var record = new ReturnRecord(returnId, orderId, [new ReturnLine("MUG", 2)], "chipped", true, ReturnStatus.Requested, "Requested.", At, At);

        Assert.True(await store.CreateAsync(record));
        Assert.False(await store.CreateAsync(record with { Reason = "second try" }));
        var receipt = new ReturnReceipt("east", [new ReturnedUnit("MUG", UnitCondition.Resellable), new ReturnedUnit("MUG", UnitCondition.Damaged)]);
        await store.UpdateAsync(new ReturnUpdate(returnId, orderId, ReturnStatus.Received, "Arrived.", receipt), At.AddDays(1));
        var usd = (long m) => new Money(m, "USD");
        var quote = new RefundQuote(usd(2000), usd(200), usd(500), usd(100), usd(2600));
        await store.UpdateAsync(new ReturnUpdate(returnId, orderId, ReturnStatus.Refunded, "Refunded.", Refund: quote, RefundReference: "re_1"), At.AddDays(2));

        var stored = await store.GetAsync(returnId);
        Assert.NotNull(stored);
        Assert.Equal((ReturnStatus.Refunded, "Refunded.", "chipped", "east", "re_1", At.AddDays(2)), (stored.Status, stored.Note, stored.Reason, stored.Location, stored.RefundReference, stored.UpdatedAt));
        Assert.Equal(receipt.Units, stored.Units);
        Assert.Equal(quote, stored.Refund);
        Assert.True(stored.RefundedShipping);
        Assert.Equal([returnId], (await store.ListForOrderAsync(orderId)).Select(r => r.ReturnId));
        Assert.Null(await store.GetAsync(ReturnWorkflowInput.ReturnIdFor(orderId, 2)));
        Assert.Null(await store.GetAsync("not-a-return-id"));
    }
}
