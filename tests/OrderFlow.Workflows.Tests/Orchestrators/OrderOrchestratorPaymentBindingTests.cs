using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>One payment pays for one order: a second order naming a payment another order holds is not confirmed.</summary>
public sealed class OrderOrchestratorPaymentBindingTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_SecondOrderNamesABoundPayment_PaymentFailedCaseNamesTheFirstOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var first = TestOrders.Create("2101", ("MUG", 1, 12_00));
        var second = TestOrders.Create("2102", ("MUG", 1, 12_00)) with { PaymentReference = first.PaymentReference };

        await h.StartOrderAsync(first);
        await h.UntilAsync(() => h.Ports.Orders.HistoryOf(first.OrderId).Contains(OrderStatus.PaymentConfirmed), "first order's payment confirmed");
        await h.StartOrderAsync(second);
        var opened = await h.CaseOpenedAsync(second.OrderId, ExceptionReason.PaymentFailed);

        Assert.Equal($"payment {first.PaymentReference} already used by order {first.OrderId}", opened.Error);
        Assert.DoesNotContain(OrderStatus.PaymentConfirmed, h.Ports.Orders.HistoryOf(second.OrderId));
        Assert.Equal(first.OrderId, await h.Ports.PaymentIndex.FindOrderAsync(first.PaymentReference!));
    }
}
