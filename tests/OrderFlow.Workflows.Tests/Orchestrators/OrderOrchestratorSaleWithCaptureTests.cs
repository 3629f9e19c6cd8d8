using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 19 (StepsCarriedTogether), the sale's posting on the last capture: an order whose only capture is the last
/// thing before the posting has <c>CapturePaymentActivity</c> post the sale (and its final status) instead of a separate
/// <c>PostSaleActivity</c>. Statuses, timeline, emails, captures and accounting come out as under revision 18; a refused
/// capture or a posting that fails leaves the sale to its own step, booked once; other settlements are unchanged.
/// </summary>
public sealed class OrderOrchestratorSaleWithCaptureTests
{
    private const int Before = OrderWorkflowVersions.SingleParcelInline;
    private const int After = OrderWorkflowVersions.StepsCarriedTogether;

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ShippedOrder_SameAsRevision18_TheCapturePostsTheSale_NoPostSaleActivity(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("19311", Before), ("19312", After));

        AssertSameSettlement(h, before, after);
        Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == after.OrderId);
        Assert.Single(h.Ports.Ledger.Posted, p => p.OrderId == after.OrderId);
        Assert.All(h.Ports.Payments.Captures, c => Assert.Null(c.Sale)); // the provider never sees the sale
        Assert.All(h.Ports.Ledger.Posted, p => Assert.Null(p.Then)); // nor accounting the status

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 18 asks for PostSaleActivity after the capture; 19 asks for none: the capture carries the sale.
            var scheduled18 = Scheduled(await HistoryAsync(h, before.OrderId));
            var history19 = await HistoryAsync(h, after.OrderId);
            var scheduled19 = Scheduled(history19);
            Assert.Equal(1, scheduled18.Count(n => n == nameof(PostSaleActivity)));
            Assert.DoesNotContain(nameof(PostSaleActivity), scheduled19);
            Assert.Equal(Without(scheduled18, [.. CarriedBeforeFulfillment19, nameof(PostSaleActivity)]), scheduled19);
            Assert.Contains(HistoryReplayer.Replay(history19), a => CarriesSale(a));
            Assert.DoesNotContain(HistoryReplayer.Replay(await HistoryAsync(h, before.OrderId)), a => a.Contains("\"Sale\":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19PaidUpFront_NothingCaptured_PostedAsItsOwnStepAsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await BothAsync(h, ("19313", "19314"), PaymentState.Succeeded, id => h.ShipAsync(id, $"{id}-F1"));

        AssertSameSettlement(h, before, after);
        Assert.Empty(h.Ports.Payments.Captures);
        if (backend == DurableEngineBackend.AzureStorage)
        {
            Assert.Equal(Without(Scheduled(await HistoryAsync(h, before.OrderId)), CarriedBeforeFulfillment19), Scheduled(await HistoryAsync(h, after.OrderId)));
            Assert.Contains(nameof(PostSaleActivity), Scheduled(await HistoryAsync(h, after.OrderId)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19CaptureRefused_NothingPostedWithIt_CaseThenPostSaleActivity_AsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Payments.DeclineCaptures();
        var (before, after) = await BothAsync(h, ("19315", "19316"), PaymentState.RequiresCapture, async id =>
        {
            await h.ShipAsync(id, $"{id}-F1");
            var refused = await h.CaseOpenedAsync(id, ExceptionReason.PaymentCaptureFailed);
            Assert.DoesNotContain(h.Ports.Ledger.Posted, p => p.OrderId == id); // nothing booked with a refused capture
            await h.DecideAsync(refused, CaseResolution.Cancel); // the capture is given up, the order goes on
        });

        AssertSameSettlement(h, before, after);
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Contains(OrderStatus.OnHold, h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Single(h.Ports.Ledger.Posted, p => p.OrderId == after.OrderId);
        if (backend == DurableEngineBackend.AzureStorage)
        {
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(Without(Scheduled(await HistoryAsync(h, before.OrderId)), CarriedBeforeFulfillment19), Scheduled(history19));
            Assert.Equal(1, Scheduled(history19).Count(n => n == nameof(PostSaleActivity)));
            Assert.Contains(HistoryReplayer.Replay(history19), a => CarriesSale(a));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19CarriedPostingFailsOnce_CaptureSucceeds_PostSaleActivityBooksItOnce_AsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await BothAsync(h, ("19317", "19318"), PaymentState.RequiresCapture, async id =>
        {
            await h.DispatchedAsync($"{id}-F1");
            h.Ports.Ledger.FailAfterPost.FailNext(1); // the next posting lands, then its answer is lost
            await h.ConfirmShippedAsync(id, $"{id}-F1");
        });

        AssertSameSettlement(h, before, after);
        Assert.Equal(RevisionRuns.Shipped, h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Single(h.Ports.Ledger.Posted, p => p.OrderId == after.OrderId);
        Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == after.OrderId);
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));
        if (backend == DurableEngineBackend.AzureStorage)
        {
            // The capture ran once (it did not fail for the posting), then the sale was posted as its own step.
            var history19 = await HistoryAsync(h, after.OrderId);
            var scheduled = Scheduled(history19);
            Assert.Equal(1, scheduled.Count(n => n == nameof(CapturePaymentActivity)));
            Assert.Equal([nameof(CapturePaymentActivity), nameof(PostSaleActivity)], scheduled.Skip(scheduled.IndexOf(nameof(CapturePaymentActivity))));
            Assert.Contains(HistoryReplayer.Replay(history19), a => CarriesSale(a));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19TwoParcels_TwoCaptures_NothingCarried_SameActivitiesAsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.StockAsync("TEE", ("west", 10));
        var (before, after) = await BothAsync(h, ("19319", "19320"), PaymentState.RequiresCapture, async id =>
        {
            var (f1, f2) = ($"{id}-F1", $"{id}-F2");
            await h.DispatchedAsync(f1);
            await h.DispatchedAsync(f2);
            await h.ConfirmShippedAsync(id, f1); // one after the other, so both orders capture their parcels in one order
            await h.UntilAsync(() => h.Ports.Orders.Get(id).Fulfillments.Any(f => f.FulfillmentId == f1 && f.Status == "shipped"), $"{f1} is recorded shipped");
            await h.ConfirmShippedAsync(id, f2);
        }, ("MUG", 2, 12_00), ("TEE", 1, 20_00));

        AssertSameSettlement(h, before, after, parallelParcels: true);
        Assert.Equal(2, h.Ports.Payments.Captures.Count(c => c.OrderId == after.OrderId));
        if (backend == DurableEngineBackend.AzureStorage)
        {
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(Without(Scheduled(await HistoryAsync(h, before.OrderId)), CarriedBeforeFulfillment19), Scheduled(history19));
            Assert.DoesNotContain(HistoryReplayer.Replay(history19), a => a.Contains("\"Sale\":", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Runs one order under revision 18 and one under 19 (numbers <paramref name="numbers"/>; two MUGs unless
    /// <paramref name="lines"/> says otherwise, stocked at one location): the payment scripted as <paramref name="paid"/>,
    /// the order started, <paramref name="ship"/> given its id, and the order required to end Fulfilled.
    /// </summary>
    private static async Task<(Order Before, Order After)> BothAsync(
        WorkflowHarness h, (string Before, string After) numbers, PaymentState paid, Func<string, Task> ship, params (string Sku, int Quantity, long UnitPrice)[] lines)
    {
        lines = lines.Length > 0 ? lines : [("MUG", 2, 12_00)];
        h.Ports.Catalog.Add([.. lines.Select(l => l.Sku)]);
        await h.StockAsync("MUG", ("east", 10));
        var orders = new List<Order>();
        foreach (var (number, revision) in new[] { (numbers.Before, Before), (numbers.After, After) })
        {
            var order = TestOrders.Create(number, lines);
            orders.Add(order);
            h.Ports.Payments.Script(order.OrderId, paid);
            await h.StartOrderAsync(order, revision: revision);
            await ship(order.OrderId);
            Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        }

        return (orders[0], orders[1]);
    }

    /// <summary>
    /// The same outcome for both orders: timeline, fulfillment records, emails, captures and the sale booked. With
    /// <paramref name="parallelParcels"/> (parcels in Fulfillment children, whose entries interleave as they run) the
    /// entries are compared as sets up to the settlement, and in order from the sale's posting on.
    /// </summary>
    private static void AssertSameSettlement(WorkflowHarness h, Order before, Order after, bool parallelParcels = false)
    {
        Assert.Equal(h.Ports.Orders.StatusOf(before.OrderId), h.Ports.Orders.StatusOf(after.OrderId));
        if (parallelParcels)
        {
            Assert.Equal(Timeline(h, before).Order(StringComparer.Ordinal), Timeline(h, after).Order(StringComparer.Ordinal));
            Assert.Equal(FromPosting(Timeline(h, before)), FromPosting(Timeline(h, after)));
            Assert.Equal(Records(h, before).Order(StringComparer.Ordinal), Records(h, after).Order(StringComparer.Ordinal));
            Assert.Equal(Emails(h, before).Order(StringComparer.Ordinal), Emails(h, after).Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Equal(Timeline(h, before), Timeline(h, after));
            Assert.Equal(Records(h, before), Records(h, after));
            Assert.Equal(Emails(h, before), Emails(h, after));
        }

        Assert.Equal(Captures(h, before), Captures(h, after));
        Assert.Equal(Sales(h, before), Sales(h, after));
        Assert.Single(Sales(h, after));
    }

    private static List<string> FromPosting(List<string> timeline) => [.. timeline.SkipWhile(m => m != "accounting: sale posted")];

    /// <summary>The sales booked for the order: amounts, lines, reference (its order id left out).</summary>
    private static List<string> Sales(WorkflowHarness h, Order order) =>
        [.. h.Ports.Ledger.Posted.Where(p => p.OrderId == order.OrderId).Select(p =>
            $"{p.Revenue} {p.Tax} {p.Shipping} {p.Discount} {p.Reference.Replace(order.OrderId, "{id}", StringComparison.Ordinal)} "
            + $"{string.Join(",", p.Lines ?? [])} {string.Join(",", p.TaxLines ?? [])}")];

    private static bool CarriesSale(string action) =>
        action.StartsWith("activity CapturePaymentActivity ", StringComparison.Ordinal) && action.Contains("\"Sale\":{", StringComparison.Ordinal);
}
