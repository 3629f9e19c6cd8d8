using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>A case waits in two stages: the next tier is reminded at the first deadline, the default applies at the last.</summary>
public sealed class OrderOrchestratorEscalationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_DecisionBeforeFirstDeadline_ResolvesWithoutReminder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await FraudOrderAsync(h, "3001");

        await h.StartOrderAsync(order);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await h.DecideAsync(review, CaseResolution.Approve);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Empty(h.Ports.Cases.Reminders);
        Assert.Empty(h.Ports.Cases.Timeouts);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_UndecidedAtFirstDeadline_RemindsNextTierOnceThenFollowsLateDecision(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await FraudOrderAsync(h, "3002");
        var settings = TestSettings.Default with { CaseReminderAfter = TimeSpan.FromSeconds(1), CaseDeadline = TimeSpan.FromMinutes(10) };

        await h.StartOrderAsync(order, settings);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await h.UntilAsync(() => h.Ports.Cases.Reminders.Contains(review.CaseId), $"case {review.CaseId} is reminded");
        var statusAtReminder = h.Ports.Orders.StatusOf(id);
        await h.DecideAsync(review, CaseResolution.Approve);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        // The reminder does not decide anything: the order stays held until the person's decision arrives.
        Assert.Equal(OrderStatus.OnHold, statusAtReminder);
        Assert.Equal([review.CaseId], h.Ports.Cases.Reminders);
        Assert.Empty(h.Ports.Cases.Timeouts);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
    }

    // The order is read between the reminder and the deadline: on real timers that window is a race on a loaded
    // machine, so this runs on the in-memory engine, where the test passes each deadline (ManualTimers).
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_NobodyDecides_RemindsAtFirstDeadlineThenAppliesDefaultAtLast(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await FraudOrderAsync(h, "3003");
        var settings = TestSettings.Default with { CaseReminderAfter = TimeSpan.FromMinutes(30), CaseDeadline = TimeSpan.FromHours(1) };

        await h.StartOrderAsync(order, settings);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await h.PassNextDeadlineAsync(id);
        await h.UntilAsync(() => h.Ports.Cases.Reminders.Contains(review.CaseId), $"case {review.CaseId} is reminded");
        var statusAtReminder = h.Ports.Orders.StatusOf(id);
        await h.PassNextDeadlineAsync(id);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.OnHold, statusAtReminder);
        Assert.Equal([review.CaseId], h.Ports.Cases.Reminders);

        // FraudReview's declared default on timeout is Cancel: nothing ships that a person did not clear.
        Assert.Equal(CaseResolution.Cancel, CasePolicy.DefaultOnTimeout(ExceptionReason.FraudReview));
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([new CaseTimeout(review.CaseId, id, CaseResolution.Cancel)], h.Ports.Cases.Timeouts);
        Assert.Empty(h.Ports.Carrier.Requests);
    }

    [Fact]
    public void EffectiveCaseReminderAfter_NotSetOrNotBeforeDeadline_IsHalfTheDeadline()
    {
        var deadline = TimeSpan.FromHours(6);

        Assert.Equal(TimeSpan.FromHours(3), (TestSettings.Default with { CaseDeadline = deadline }).EffectiveCaseReminderAfter);
        Assert.Equal(TimeSpan.FromHours(3), (TestSettings.Default with { CaseDeadline = deadline, CaseReminderAfter = deadline }).EffectiveCaseReminderAfter);
        Assert.Equal(TimeSpan.FromHours(1), (TestSettings.Default with { CaseDeadline = deadline, CaseReminderAfter = TimeSpan.FromHours(1) }).EffectiveCaseReminderAfter);
    }

    private static async Task<(Order Order, string Id)> FraudOrderAsync(WorkflowHarness h, string number)
    {
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create(number, ("MUG", 1, 12_00));
        h.Ports.Payments.Script(order.OrderId, PaymentState.Succeeded, riskLevel: "highest");
        return (order, order.OrderId);
    }
}
