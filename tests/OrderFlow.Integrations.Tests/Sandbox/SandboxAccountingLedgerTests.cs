using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Sandbox;

public sealed class SandboxAccountingLedgerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly SandboxAccountingLedger ledger = new(storage.Tables, TimeProvider.System, NullLogger<SandboxAccountingLedger>.Instance);

    [Fact]
    public async Task PostSaleAsync_SameReferenceTwice_PostsOnceAndReturnsSameEntryId()
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        var entry = new SaleEntry(orderId, "#1001", new Money(4400, "USD"), new Money(352, "USD"), new Money(699, "USD"), new Money(500, "USD"), $"{orderId}:post-sale");

        var first = await ledger.PostSaleAsync(entry);
        var second = await ledger.PostSaleAsync(entry with { Revenue = new Money(1, "USD") });

        Assert.Equal(first, second);
        Assert.Equal(entry, Assert.Single(await ledger.ListForOrderAsync(orderId)));
    }
}
