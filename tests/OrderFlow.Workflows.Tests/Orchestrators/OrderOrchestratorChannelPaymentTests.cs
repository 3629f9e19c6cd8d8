using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Integrations.Payments;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Fakes;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// A real Shopify orders/create delivery (samples/shopify-order.json: Shopify Payments, no payment_intent_id note
/// attribute) through the real mapper, payment router and channel rules, on the real engine: Shopify is the payment
/// authority. Likewise a WooCommerce order paid through a gateway other than Stripe (samples/woocommerce-order.json
/// with bank transfer): WooCommerce is the authority. The card gateway behind the router is the fake, and it is never asked to verify.
/// </summary>
public sealed class OrderOrchestratorChannelPaymentTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyPaidWithoutStripeReference_EndsFulfilledWithNothingToCapture(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await SampleAsync(h, "paid");

        await ShipsPaidByTheChannelAsync(h, order);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyAuthorized_ShipsAndCapturesTheTotalThroughTheChannel(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await SampleAsync(h, "authorized");

        var outcome = await h.ShipToTheEndAsync(order);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var capture = Assert.Single(h.Ports.Payments.Captures);
        Assert.Equal(("gid://shopify/Order/5678901234567", order.Totals.Total, true), (capture.PaymentReference, capture.Amount, capture.FinalCapture));
        Assert.Equal($"{order.OrderId}:capture-{order.OrderId}-F1", capture.IdempotencyKey);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyAuthorizedTwoParcels_CapturesEachParcelThroughTheChannelFinalOnTheLast(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await SampleAsync(h, "authorized", teeLocation: "west");

        var outcome = await h.ShipToTheEndAsync(order, parcels: 2);

        // Shopify holds the payment (and knows its multicapture): the capture per parcel stays as it was.
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal("gid://shopify/Order/5678901234567", order.PaymentReference);
        h.AssertCapturedPerParcel(order);
        Assert.Equal(0, h.Ports.Payments.VerifyCalls);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_WooCommerceBankTransferPaid_EndsFulfilledWithNothingToCapture(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await WooCommerceSampleAsync(h, "processing", paid: true);

        await ShipsPaidByTheChannelAsync(h, order);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_WooCommerceBankTransferOnHoldThenPaid_HeldUntilTheOrderUpdateThenShips(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await WooCommerceSampleAsync(h, "on-hold", paid: false);
        await h.StartOrderAsync(order);
        var held = await h.CaseOpenedAsync(order.OrderId, ExceptionReason.PaymentFailed);

        Assert.StartsWith("payment_pending: WooCommerce reports the payment on-hold (gateway bacs", held.Error, StringComparison.Ordinal);
        Assert.Contains(h.Ports.Orders.TimelineOf(order.OrderId, "payment"), e => e.Message == held.Error);
        Assert.DoesNotContain(h.Ports.Fulfillment.Dispatches, d => d.OrderId == order.OrderId);

        // What the order.updated handler does once WooCommerce says processing: the payment becomes paid, the case RetryStep.
        await h.Ports.Orders.UpdateChannelPaymentAsync(
            order.OrderId, order.Payment! with { Status = "processing", PaidAt = DateTimeOffset.UtcNow }, "WooCommerce reports the order processing (order.updated, was on-hold).", DateTimeOffset.UtcNow);
        await h.DecideAsync(held, CaseResolution.RetryStep);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        var outcome = await h.OutcomeAsync(order.OrderId);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Single(h.Ports.Cases.CasesFor(order.OrderId));
        Assert.Empty(h.Ports.Payments.Captures);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyPendingUnderHoldPolicy_HoldsInPaymentFailedCaseWithTheReason(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await SampleAsync(h, "pending");

        await h.StartOrderAsync(order);
        var opened = await h.CaseOpenedAsync(order.OrderId, ExceptionReason.PaymentFailed);

        Assert.StartsWith("payment_pending: Shopify reports the payment pending (gateway manual", opened.Error, StringComparison.Ordinal);
        Assert.Contains("Payments:PendingPolicy is Hold", opened.Error, StringComparison.Ordinal);
        Assert.Contains(h.Ports.Orders.TimelineOf(order.OrderId, "payment"), e => e.Message == opened.Error);
        Assert.DoesNotContain(h.Ports.Fulfillment.Dispatches, d => d.OrderId == order.OrderId);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyPendingThenOrdersPaid_HoldReleasedByTheRetryAndTheOrderShips(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Hold);
        var order = await SampleAsync(h, "pending");
        await h.StartOrderAsync(order);
        var held = await h.CaseOpenedAsync(order.OrderId, ExceptionReason.PaymentFailed);

        // What the orders/paid handler does: the order's payment becomes paid, then the case is decided RetryStep.
        await h.Ports.Orders.UpdateChannelPaymentAsync(
            order.OrderId, order.Payment! with { Status = "paid" }, "Shopify reports the order paid (orders/paid, was pending).", DateTimeOffset.UtcNow);
        await h.DecideAsync(held, CaseResolution.RetryStep);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        var outcome = await h.OutcomeAsync(order.OrderId);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Contains(OrderStatus.PaymentConfirmed, h.Ports.Orders.HistoryOf(order.OrderId));
        Assert.Single(h.Ports.Cases.CasesFor(order.OrderId));
        Assert.Empty(h.Ports.Payments.Captures);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ShopifyPendingUnderShipPolicy_EndsFulfilled(DurableEngineBackend backend)
    {
        await using var h = await StartAsync(backend, PaymentsOptions.Ship);
        var order = await SampleAsync(h, "pending");

        var outcome = await h.ShipToTheEndAsync(order);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Contains(h.Ports.Orders.TimelineOf(order.OrderId, "payment"), e => e.Message.Contains("Payments:PendingPolicy is Ship", StringComparison.Ordinal));
        Assert.Empty(h.Ports.Payments.Captures);
    }

    /// <summary>An order the channel says is paid: confirmed without the card gateway, shipped, nothing to capture, no case.</summary>
    private static async Task ShipsPaidByTheChannelAsync(WorkflowHarness h, Order order)
    {
        var outcome = await h.ShipToTheEndAsync(order);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Contains(OrderStatus.PaymentConfirmed, h.Ports.Orders.HistoryOf(order.OrderId));
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Equal(0, h.Ports.Payments.VerifyCalls);
        Assert.Empty(h.Ports.Cases.CasesFor(order.OrderId));
    }

    /// <summary>The harness with the production payment router: fake card gateway, real channel verifier over the fake order store.</summary>
    private static Task<WorkflowHarness> StartAsync(DurableEngineBackend backend, string pendingPolicy) =>
        WorkflowHarness.StartAsync(backend, (services, ports) => services.AddSingleton<IPaymentGateway>(new ChannelPaymentRouter(
            ports.Payments,
            new ChannelPaymentVerifier(ports.Orders, Microsoft.Extensions.Options.Options.Create(new PaymentsOptions { PendingPolicy = pendingPolicy }), TimeProvider.System, NullLogger<ChannelPaymentVerifier>.Instance),
            new FakeChannelSettlement(ports.Payments))));

    /// <summary>
    /// samples/shopify-order.json mapped as intake maps it, with its financial_status set; its SKUs in the catalog and
    /// stocked (the tee at <paramref name="teeLocation"/>: another location than the mug's makes two parcels).
    /// </summary>
    private static async Task<Order> SampleAsync(WorkflowHarness h, string financialStatus, string teeLocation = "east")
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sample-shopify-order.json"))
            .Replace("\"financial_status\": \"paid\"", $"\"financial_status\": \"{financialStatus}\"", StringComparison.Ordinal);
        if (financialStatus != "paid")
        {
            json = json.Replace("\"shopify_payments\"", "\"manual\"", StringComparison.Ordinal);
        }

        var mapped = ShopifyOrderMapper.Map(json);
        Assert.True(mapped.Succeeded, mapped.Succeeded ? null : mapped.Error);
        Assert.Equal(financialStatus, mapped.Order.Payment!.Status);
        await StockSampleSkusAsync(h, teeLocation);
        return mapped.Order;
    }

    /// <summary>
    /// samples/woocommerce-order.json paid by bank transfer (bacs: WooCommerce holds the payment, no Stripe intent), in
    /// <paramref name="status"/>, with a payment date when <paramref name="paid"/>; mapped as intake maps it.
    /// </summary>
    private static async Task<Order> WooCommerceSampleAsync(WorkflowHarness h, string status, bool paid)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sample-woocommerce-order.json")))!.AsObject();
        json["status"] = status;
        json["payment_method"] = "bacs";
        json["payment_method_title"] = "Direct bank transfer";
        json["transaction_id"] = string.Empty;
        json["meta_data"] = new JsonArray();
        json["date_paid"] = paid ? "2026-11-20T14:32:06" : null;
        json["date_paid_gmt"] = paid ? "2026-11-20T19:32:06" : null;

        var mapped = WooCommerceOrderMapper.Map(Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.True(mapped.Succeeded, mapped.Succeeded ? null : mapped.Error);
        Assert.Equal(ChannelPaymentReference.WooCommerce(mapped.Order.ExternalId), mapped.Order.PaymentReference);
        Assert.Equal(status, mapped.Order.Payment!.Status);
        await StockSampleSkusAsync(h, "east");
        return mapped.Order;
    }

    /// <summary>The samples' SKUs in the catalog; the mug stocked at east, the tee at <paramref name="teeLocation"/>.</summary>
    private static async Task StockSampleSkusAsync(WorkflowHarness h, string teeLocation)
    {
        h.Ports.Catalog.Add("SKU-MUG", "SKU-TEE");
        await h.StockAsync("SKU-MUG", ("east", 5));
        await h.StockAsync("SKU-TEE", (teeLocation, 5));
    }
}
