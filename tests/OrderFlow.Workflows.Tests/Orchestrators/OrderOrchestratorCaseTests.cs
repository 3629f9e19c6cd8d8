using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Judgment calls on the real engine: each opens a case, holds the order and follows the decision (or the deadline's default).</summary>
public sealed class OrderOrchestratorCaseTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_UnknownSkuThenCancelDecision_OpensOrderInvalidCaseAndCancels(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2001", ("MUG", 1, 12_00), ("GHOST-42", 1, 9_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var invalid = await h.CaseOpenedAsync(id, ExceptionReason.OrderInvalid);
        await h.DecideAsync(invalid, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Contains("GHOST-42", invalid.Error, StringComparison.Ordinal);
        Assert.Equal("validate", invalid.Step);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], invalid.AllowedResolutions);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([OrderStatus.Received, OrderStatus.OnHold, OrderStatus.Cancelled], h.Ports.Orders.HistoryOf(id));
        Assert.Equal([new CustomerNotification(id, Milestone.Cancelled, null)], h.Ports.Notifier.SentFor(id));

        // Nothing after validation ran: no payment check, no stock held, nothing shipped.
        Assert.Equal(0, h.Ports.Payments.VerifyCalls);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0, 0), (mug!.OnHand, mug.Reserved, mug.Reservations.Count));
        Assert.Null(await h.InventoryAsync("GHOST-42"));
        Assert.Empty(h.Ports.Carrier.Requests);
        Assert.Empty(h.Ports.Ledger.Posted);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_MissingPostalCodeFixedThenRetried_OpensAddressCaseAndFulfills(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2002", TestOrders.ValidAddress with { PostalCode = "" }, ("MUG", 1, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        h.Ports.Orders.ReplaceShippingAddress(id, TestOrders.ValidAddress);
        await h.DecideAsync(addressCase, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Contains("postal code", addressCase.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.OnHold, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));

        // The label went to the corrected address.
        Assert.Equal(TestOrders.ValidAddress.PostalCode, Assert.Single(h.Ports.Carrier.Requests).ShipTo.PostalCode);
        Assert.Single(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_CarrierRefusesAddressThenCorrected_BuysANewLabelForTheNewAddress(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        h.Ports.Carrier.RejectAddress.FailNext(1);
        var order = TestOrders.Create("2013", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var corrected = TestOrders.ValidAddress with { Line1 = "3 Analytical Way" };

        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.Client.RaiseEventAsync(
            id, CaseDecision.EventName(addressCase.CaseId), new CaseDecision(addressCase.CaseId, CaseResolution.CorrectAddress, "ops@example.test", null, corrected));
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal($"label-{id}-F1", addressCase.Step);
        Assert.Contains("The carrier refused the ship-to address: Address not found", addressCase.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);

        // One refused call (not retried as a transient fault), then one sale to the corrected address under a new key.
        Assert.Equal(2, h.Ports.Carrier.Requests.Count);
        Assert.Equal(corrected, h.Ports.Carrier.Requests[1].ShipTo);
        Assert.NotEqual(h.Ports.Carrier.Requests[0].IdempotencyKey, h.Ports.Carrier.Requests[1].IdempotencyKey);
        Assert.Single(h.Ports.Carrier.Labels);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_MissingPostalCodeThenCorrectAddressDecision_StoresAddressAndFulfills(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2012", TestOrders.ValidAddress with { PostalCode = "" }, ("MUG", 1, 12_00));
        var id = order.OrderId;
        var corrected = TestOrders.ValidAddress with { Line1 = "2 Difference Engine Row", Line2 = "Flat 3" };

        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.Client.RaiseEventAsync(
            id, CaseDecision.EventName(addressCase.CaseId), new CaseDecision(addressCase.CaseId, CaseResolution.CorrectAddress, "ops@example.test", null, corrected));
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal([CaseResolution.CorrectAddress, CaseResolution.RetryStep, CaseResolution.Cancel], addressCase.AllowedResolutions);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.OnHold, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));

        // The label went to the address from the decision, which is now the order's; the timeline says who, not what.
        Assert.Equal(corrected, Assert.Single(h.Ports.Carrier.Requests).ShipTo);
        var record = h.Ports.Orders.Get(id);
        Assert.Equal(corrected, record.Order.ShippingAddress);
        var note = Assert.Single(record.Timeline, t => t.Message.Contains("Shipping address corrected", StringComparison.Ordinal));
        Assert.Equal("Shipping address corrected by ops@example.test.", note.Message);
        Assert.DoesNotContain(record.Timeline, t => t.Message.Contains(corrected.Line1, StringComparison.Ordinal));
        Assert.Single(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_FulfillmentRejectedByLocation_OpensFulfillmentRejectedCaseAndRetryWaitsAgain(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2013", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";

        await h.StartOrderAsync(order);
        await h.DispatchedAsync(fulfillmentId);
        await h.Client.RaiseEventAsync(
            id, FulfillmentConfirmation.EventName(fulfillmentId),
            new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Rejected, DateTimeOffset.UtcNow, "damaged stock"));
        var rejected = await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentRejected);
        await h.DecideAsync(rejected, CaseResolution.RetryStep);
        await h.ConfirmShippedAsync(id, fulfillmentId);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], rejected.AllowedResolutions);
        Assert.Contains("damaged stock", rejected.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Ports.Cases.CasesFor(id), c => c.Reason == ExceptionReason.CarrierError);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_PaymentFailedAndNobodyDecides_CancelsAtCaseDeadline(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2003", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Failed, failureReason: "card_declined");
        var settings = TestSettings.Default with { CaseDeadline = TimeSpan.FromSeconds(2) };

        await h.StartOrderAsync(order, settings);
        var outcome = await h.OutcomeAsync(id);

        var failed = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.PaymentFailed, failed.Reason);
        Assert.Contains("card_declined", failed.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated, OrderStatus.OnHold, OrderStatus.Cancelled], h.Ports.Orders.HistoryOf(id));
        Assert.Equal(
            [(Milestone.PaymentProblem, "declined"), (Milestone.Cancelled, "payment")],
            h.Ports.Notifier.SentFor(id).Select(n => (n.Milestone, n.Details![CustomerNotification.DetailKeys.Reason])));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0), (mug!.OnHand, mug.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_StoreRulesOnlyNoProviderRisk_HeldForFraudReviewWithTheReasonsOnTheCase(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 60));
        var placed = TestOrders.Create("2005", ("MUG", 50, 12_00));
        var order = placed with
        {
            ShippingAddress = placed.ShippingAddress with { Line1 = "Shipito Freight Forwarding, 1 Dock Rd" },
            BillingCountryCode = placed.ShippingAddress.CountryCode == "GB" ? "NG" : "GB",
        };
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Succeeded, riskLevel: "normal");

        await h.StartOrderAsync(order);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await h.DecideAsync(review, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        // First order 10 + countries differ 20 + forwarder 25 + 50 units 20 = 75: at or above review (70), below cancel (90).
        Assert.StartsWith("Fraud score 75:", review.Error, StringComparison.Ordinal);
        Assert.Contains("(+10) First order from this customer.", review.Error, StringComparison.Ordinal);
        Assert.Contains("(+20) Billing and shipping countries differ.", review.Error, StringComparison.Ordinal);
        Assert.Contains("(+25) Shipping address looks like a freight forwarder or PO box.", review.Error, StringComparison.Ordinal);
        Assert.Contains("(+20) Order has 50 units", review.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Recommended: Cancel", review.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("provider", review.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(order.Customer.Email, review.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Dock Rd", review.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ProviderRiskHighestThenApproved_HoldsForFraudReviewThenFulfills(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("2004", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Succeeded, riskLevel: "highest");

        await h.StartOrderAsync(order);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        var sentWhileHeld = h.Ports.Notifier.SentFor(id);
        var stockWhileHeld = await h.InventoryAsync("MUG");
        await h.DecideAsync(review, CaseResolution.Approve);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal([CaseResolution.Approve, CaseResolution.Cancel], review.AllowedResolutions);
        Assert.Contains("highest", review.Error, StringComparison.Ordinal);
        // Payment was verified, so the order is confirmed; the hold itself is worded neutrally (no "fraud").
        Assert.Equal([Milestone.OrderConfirmed, Milestone.OnHold], sentWhileHeld.Select(n => n.Milestone));
        Assert.Equal(0, stockWhileHeld!.Reserved);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.OnHold, OrderStatus.PaymentConfirmed,
             OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));
        Assert.Equal(Milestone.OrderConfirmed, h.Ports.Notifier.SentFor(id)[0].Milestone);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((4, 0), (mug!.OnHand, mug.Reserved));
    }
}
