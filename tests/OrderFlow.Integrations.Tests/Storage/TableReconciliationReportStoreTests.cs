using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableReconciliationReportStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableReconciliationReportStore store = new(storage.Tables, NullLogger<TableReconciliationReportStore>.Instance);

    [Fact]
    public async Task SaveAsync_ThenGetAsync_RoundTripsTheReportAndASecondSaveReplacesIt()
    {
        var reportId = $"reconcile-20310501-20310501-{Guid.NewGuid():N}";
        var line = new ReconciliationLine("shop-1", MismatchKind.AmountDiffers, ReconciliationSubject.AccountingSale, new Money(6000, "USD"), new Money(5500, "USD"), "differs", "shop-1-reconcile-AmountDiffers-accounting-sale");
        var report = new ReconciliationReport(
            reportId, new DateOnly(2031, 5, 1), new DateOnly(2031, 5, 1), new DateTimeOffset(2031, 5, 2, 2, 0, 0, TimeSpan.Zero), 2, 1, 1, 1, false,
            [new ReconciliationTotal(ReconciliationTotal.Matched, "USD", 1, 6000, 6000), new ReconciliationTotal("AmountDiffers", "USD", 1, 6000, 5500)],
            [line], [new ReconciliationSkip("shop-3", "still InFulfillment")]);

        await store.SaveAsync(report);
        var read = await store.GetAsync(reportId);

        Assert.NotNull(read);
        Assert.Equal(report with { Totals = [], Mismatches = [], Skips = [] }, read with { Totals = [], Mismatches = [], Skips = [] });
        Assert.Equal(report.Totals, read.Totals);
        Assert.Equal(report.Mismatches, read.Mismatches);
        Assert.Equal(report.Skips, read.Skips);

        await store.SaveAsync(report with { Matched = 2, Mismatched = 0, Mismatches = [] });
        Assert.Equal(2, (await store.GetAsync(reportId))!.Matched);
        Assert.Null(await store.GetAsync(reportId + "-unknown"));
    }
}
