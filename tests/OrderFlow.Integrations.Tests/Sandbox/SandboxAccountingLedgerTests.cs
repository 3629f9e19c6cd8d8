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
        var document = Assert.Single(await ledger.ListDocumentsAsync(orderId));
        Assert.Equal(new AccountingDocument(orderId, AccountingDocument.Sale, entry.Reference, first, new Money(4400 + 352 + 699 - 500, "USD"), new Money(352, "USD")), document);
    }

    [Fact]
    public async Task PostRefundAsync_SameReferenceTwice_BooksOneCreditNoteBesideTheSale()
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        await ledger.PostSaleAsync(new SaleEntry(orderId, "#1002", new Money(4400, "USD"), new Money(352, "USD"), new Money(0, "USD"), new Money(0, "USD"), $"{orderId}:post-sale"));
        var refund = new RefundEntry(orderId, "#1002", new Money(1188, "USD"), new Money(88, "USD"), "return", $"{orderId}:refund-1");

        var first = await ledger.PostRefundAsync(refund);
        var second = await ledger.PostRefundAsync(refund with { Amount = new Money(1, "USD") });

        Assert.Equal(first, second);
        var documents = await ledger.ListDocumentsAsync(orderId);
        Assert.Equal(2, documents.Count);
        var credit = Assert.Single(documents, d => d.Kind == AccountingDocument.Refund);
        Assert.Equal(new Money(1188, "USD"), credit.Total);
        Assert.Equal(new Money(88, "USD"), credit.Tax);
    }
}
