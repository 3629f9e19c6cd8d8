using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Branches of <see cref="OrderOrchestrator"/> with the context mocked: no engine, every activity answered by the
/// test, and a strict entity feature so any touch of stock fails the test.
/// </summary>
public sealed class OrderOrchestratorBranchTests
{
    private static readonly Order Order = TestOrders.Create("9001", ("MUG", 1, 12_00));
    private readonly List<(string Activity, object? Input)> calls = [];
    private readonly Mock<TaskOrchestrationContext> context = new() { CallBase = true };

    public OrderOrchestratorBranchTests()
    {
        this.context.SetupGet(c => c.InstanceId).Returns(Order.OrderId);
        this.context.SetupGet(c => c.CurrentUtcDateTime).Returns(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc));
        this.context.SetupGet(c => c.Entities).Returns(new Mock<TaskOrchestrationEntityFeature>(MockBehavior.Strict).Object);
        this.context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        this.Answer(nameof(RecordOrderActivity), OrderSummaries.From(Order));

        // Nobody asks to cancel these orders.
        this.context
            .Setup(c => c.WaitForExternalEvent<CancelOrderRequest>(CancelOrderRequest.EventName, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<CancelOrderRequest>().Task);
        this.context
            .Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => this.calls.Add((name.Name, input)))
            .ReturnsAsync(true);
    }

    [Fact]
    public async Task RunAsync_OrderInvalidAndCaseDeadlinePasses_CancelsWithoutPaymentOrStock()
    {
        this.Answer(nameof(ValidateOrderActivity), new ValidationResult([new ValidationError("lines[0].sku", "unknownSku", "SKU 'MUG' is not in the catalog.")]));
        this.DeadlinePasses();

        var outcome = await new OrderOrchestrator().RunAsync(this.context.Object, Input()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(
            [nameof(RecordOrderActivity), nameof(ValidateOrderActivity), nameof(OpenCaseActivity), nameof(UpdateOrderStatusActivity),
             nameof(SendCaseReminderActivity), nameof(RecordCaseTimeoutActivity), nameof(UpdateOrderStatusActivity), nameof(NotifyCustomerActivity)],
            this.calls.Select(c => c.Activity));
        var opened = Assert.IsType<OpenCaseRequest>(this.calls[2].Input);
        Assert.Equal((ExceptionReason.OrderInvalid, $"{Order.OrderId}-validate-1"), (opened.Reason, opened.CaseId));

        // Both deadlines passed: the next tier was reminded of this very case, then the default (Cancel) applied.
        Assert.Equal(new CaseReminder(opened.CaseId, Order.OrderId), this.calls[4].Input);
        Assert.Equal(new CaseTimeout(opened.CaseId, Order.OrderId, CaseResolution.Cancel), this.calls[5].Input);
        Assert.Equal(
            [OrderStatus.OnHold, OrderStatus.Cancelled],
            this.calls.Select(c => c.Input).OfType<StatusChange>().Select(s => s.Status));
        Assert.Equal(Milestone.Cancelled, Assert.IsType<CustomerNotification>(this.calls[^1].Input).Milestone);
    }

    [Fact]
    public async Task RunAsync_FraudHoldCancelledByReviewer_TellsCustomerNeutrallyAndCancelsBeforeReserving()
    {
        this.Answer(nameof(ValidateOrderActivity), ValidationResult.Valid);
        this.Answer(nameof(VerifyPaymentActivity), new PaymentVerification(PaymentState.Succeeded, Order.Totals.Total, "highest", null));
        this.Answer(nameof(AssessFraudActivity), new FraudAssessment(80, ["Payment provider rated the payment highest risk."], HoldForReview: true));
        var caseId = $"{Order.OrderId}-fraud-1";
        this.Decide(caseId, CaseResolution.Cancel);
        this.Answer(nameof(RefundPaymentActivity), new RefundResult(true, Order.Totals.Total, "re_1", null));

        var outcome = await new OrderOrchestrator().RunAsync(this.context.Object, Input()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new OrderOutcome(Order.OrderId, OrderStatus.Cancelled, "Cancelled after fraud review."), outcome);
        Assert.Equal(
            [OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.OnHold, OrderStatus.Cancelled],
            this.calls.Select(c => c.Input).OfType<StatusChange>().Select(s => s.Status));
        Assert.Equal(
            [Milestone.OrderConfirmed, Milestone.OnHold, Milestone.Cancelled],
            this.calls.Select(c => c.Input).OfType<CustomerNotification>().Select(n => n.Milestone));
        Assert.Equal(ExceptionReason.FraudReview, Assert.Single(this.calls.Select(c => c.Input).OfType<OpenCaseRequest>()).Reason);

        // The payment had succeeded: cancelling gives all of it back.
        Assert.Equal(Order.Totals.Total, Assert.Single(this.calls.Select(c => c.Input).OfType<RefundPaymentRequest>()).Amount);
    }

    [Fact]
    public async Task RunAsync_PaymentStillProcessingAndSucceededNoticeArrived_VerifiesAgainWithoutPaymentCase()
    {
        this.Answer(nameof(ValidateOrderActivity), ValidationResult.Valid);
        var verifications = new Queue<PaymentVerification>([
            new PaymentVerification(PaymentState.Failed, Order.Totals.Total, "normal", "status processing"),
            new PaymentVerification(PaymentState.Succeeded, Order.Totals.Total, "highest", null)]);
        this.context
            .Setup(c => c.CallActivityAsync<PaymentVerification>(It.Is<TaskName>(n => n.Name == nameof(VerifyPaymentActivity)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => this.calls.Add((name.Name, input)))
            .Returns(() => Task.FromResult(verifications.Dequeue()));
        this.context
            .Setup(c => c.WaitForExternalEvent<PaymentEventNotice>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<PaymentEventNotice>().Task);
        this.context
            .Setup(c => c.WaitForExternalEvent<PaymentEventNotice>(PaymentEvents.EventName(PaymentEvents.PaymentIntentSucceeded), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PaymentEventNotice("evt_1", PaymentEvents.PaymentIntentSucceeded, "pi_1", Order.Totals.Total, null, DateTimeOffset.UnixEpoch));
        this.Answer(nameof(AssessFraudActivity), new FraudAssessment(80, ["Payment provider rated the payment highest risk."], HoldForReview: true));
        this.Decide($"{Order.OrderId}-fraud-1", CaseResolution.Cancel);
        this.Answer(nameof(RefundPaymentActivity), new RefundResult(true, Order.Totals.Total, "re_1", null));

        var outcome = await new OrderOrchestrator().RunAsync(this.context.Object, Input()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(2, this.calls.Count(c => c.Activity == nameof(VerifyPaymentActivity)));
        Assert.Equal(ExceptionReason.FraudReview, Assert.Single(this.calls.Select(c => c.Input).OfType<OpenCaseRequest>()).Reason);
        Assert.DoesNotContain(Milestone.PaymentProblem, this.calls.Select(c => c.Input).OfType<CustomerNotification>().Select(n => n.Milestone));
        Assert.Contains(OrderStatus.PaymentConfirmed, this.calls.Select(c => c.Input).OfType<StatusChange>().Select(s => s.Status));
    }

    private static OrderWorkflowInput Input() => new(Order.OrderId, Order.Source, "dlv-1", TestSettings.Default);

    private void Answer<T>(string activity, T result) =>
        this.context
            .Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => this.calls.Add((name.Name, input)))
            .ReturnsAsync(result);

    /// <summary>No decision ever arrives; every timer has already fired.</summary>
    private void DeadlinePasses()
    {
        this.context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        this.context
            .Setup(c => c.WaitForExternalEvent<CaseDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<CaseDecision>().Task);
    }

    /// <summary>The decision for <paramref name="caseId"/> arrives; no deadline passes and no other decision ever arrives.</summary>
    private void Decide(string caseId, CaseResolution resolution)
    {
        this.context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource().Task);
        this.context
            .Setup(c => c.WaitForExternalEvent<CaseDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<CaseDecision>().Task);
        this.context
            .Setup(c => c.WaitForExternalEvent<CaseDecision>(CaseDecision.EventName(caseId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CaseDecision(caseId, resolution, "reviewer@example.test", null));
    }
}
