using OrderFlow.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableExceptionQueueTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset Deadline = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OpenAsync_SameCaseTwice_StoresOnceAndAlertsNobody()
    {
        var alert = new Mock<IApproverAlert>();
        var queue = Queue(alert.Object);
        var request = Request();

        await queue.OpenAsync(request);
        await queue.OpenAsync(request with { Error = "a retry with different text" });

        alert.VerifyNoOtherCalls();
        var stored = await queue.GetAsync(request.CaseId);
        Assert.NotNull(stored);
        Assert.Equal("Card was declined.", stored.Error);
        Assert.Equal(CaseStatuses.Open, stored.Status);
        Assert.Equal(ExceptionReason.PaymentFailed, stored.Reason);
        Assert.Equal("verify-payment", stored.Step);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], stored.AllowedResolutions);
        Assert.Equal(Deadline, stored.Deadline);
        Assert.Null(stored.AlertedAt);
        Assert.Null(stored.AlertError);
    }

    [Fact]
    public async Task AlertAsync_Twice_AlertsOnceAndStampsTheCase()
    {
        var alert = new Mock<IApproverAlert>();
        var queue = Queue(alert.Object);
        var request = Request();
        await queue.OpenAsync(request);

        await queue.AlertAsync(request.CaseId);
        await queue.AlertAsync(request.CaseId);

        alert.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(c => c.CaseId == request.CaseId), It.IsAny<CancellationToken>()), Times.Once);
        Assert.NotNull((await queue.GetAsync(request.CaseId))!.AlertedAt);
    }

    [Fact]
    public async Task AlertAsync_FailedFirstTime_CaseStaysStoredWithTheFailureUntilALaterAlertClearsIt()
    {
        var alert = new Mock<IApproverAlert>();
        alert.SetupSequence(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("smtp down"))
            .Returns(Task.CompletedTask);
        var queue = Queue(alert.Object);
        var request = Request();
        await queue.OpenAsync(request);

        await Assert.ThrowsAsync<IOException>(() => queue.AlertAsync(request.CaseId));
        await queue.RecordAlertFailureAsync(request.CaseId, "Approver alert failed: IOException: smtp down");
        var failed = (await queue.GetAsync(request.CaseId))!;
        var listed = (await queue.ListOpenAsync()).Single(c => c.CaseId == request.CaseId);

        await queue.AlertAsync(request.CaseId);
        var alerted = (await queue.GetAsync(request.CaseId))!;

        Assert.Equal((CaseStatuses.Open, "Card was declined."), (failed.Status, failed.Error));
        Assert.Null(failed.AlertedAt);
        Assert.Equal("Approver alert failed: IOException: smtp down", failed.AlertError);
        Assert.NotNull(failed.AlertFailedAt);
        Assert.Equal(failed.AlertError, listed.AlertError);
        alert.Verify(a => a.AlertAsync(It.IsAny<ExceptionCase>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.NotNull(alerted.AlertedAt);
        Assert.Null(alerted.AlertError);
    }

    [Fact]
    public async Task RemindAsync_AfterAFailedAlert_ClearsTheRecordedFailure()
    {
        var queue = Queue(Mock.Of<IApproverAlert>());
        var request = Request();
        await queue.OpenAsync(request);
        await queue.RecordAlertFailureAsync(request.CaseId, "Approver alert failed: IOException: smtp down");

        await queue.RemindAsync(request.CaseId);

        var stored = (await queue.GetAsync(request.CaseId))!;
        Assert.NotNull(stored.RemindedAt);
        Assert.Null(stored.AlertError);
    }

    [Fact]
    public async Task ListOpenAsync_AfterOpeningCases_ContainsThem()
    {
        var queue = Queue(Mock.Of<IApproverAlert>());
        var first = Request();
        var second = Request(ExceptionReason.FraudReview);
        await queue.OpenAsync(first);
        await queue.OpenAsync(second);

        var open = await queue.ListOpenAsync();

        Assert.Contains(open, c => c.CaseId == first.CaseId);
        Assert.Contains(open, c => c.CaseId == second.CaseId && c.Reason == ExceptionReason.FraudReview);
    }

    [Fact]
    public async Task AlertAsync_WithEmailAlert_ApproverGetsCaseContextWithoutCustomerEmail()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        var order = TestOrders.Create();
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        var emailAlert = new EmailApproverAlert(
            new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance),
            orders,
            Options.Create(new CasesOptions { ApproverEmail = "approvers@shop.example.com" }),
            Options.Create(TestStore.Options()),
            TestApprovals.Signer(),
            NullLogger<EmailApproverAlert>.Instance);
        var request = Request() with { OrderId = order.OrderId };

        var queue = Queue(emailAlert);
        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("approvers@shop.example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("[Demo Store] Action needed: PaymentFailed on order #1001", message.Subject);
        Assert.Contains(request.CaseId, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("verify-payment", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Card was declined.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("RetryStep, Cancel", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 12:00 UTC", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("54.51 USD", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOrders.Email, message.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AlertAsync_IntakeRejectedCase_EmailNamesTheDeliveryNotAnOrder()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var emailAlert = new EmailApproverAlert(
            new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance),
            new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance),
            Options.Create(new CasesOptions { ApproverEmail = "approvers@shop.example.com" }),
            Options.Create(TestStore.Options()),
            TestApprovals.Signer(),
            NullLogger<EmailApproverAlert>.Instance);
        var subject = $"shopify-delivery-{Guid.NewGuid():N}";
        var request = Request(ExceptionReason.IntakeRejected) with
        {
            OrderId = subject, Step = "intake-mapping", Error = "shipping_address is required.", AllowedResolutions = [CaseResolution.Approve], WorkflowId = OpenCaseRequest.NoWorkflow,
        };

        var queue = Queue(emailAlert);
        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal($"[Demo Store] Action needed: IntakeRejected on delivery {subject}", message.Subject);
        Assert.Contains($"Delivery {subject} is waiting for a decision.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("shipping_address is required.", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Order id", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertAsync_ChannelSyncFailedCase_EmailNamesTheChannelNotAnOrderOrADelivery()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var emailAlert = new EmailApproverAlert(
            new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance),
            new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance),
            Options.Create(new CasesOptions { ApproverEmail = "approvers@shop.example.com" }),
            Options.Create(TestStore.Options()),
            TestApprovals.Signer(),
            NullLogger<EmailApproverAlert>.Instance);
        var request = Request(ExceptionReason.ChannelSyncFailed) with
        {
            OrderId = "channel-woocommerce", Step = "channel-sync", Error = "Stock levels could not be pushed to WooCommerce.", WorkflowId = OpenCaseRequest.NoWorkflow,
        };

        var queue = Queue(emailAlert);
        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("[Demo Store] Action needed: ChannelSyncFailed on channel channel-woocommerce", message.Subject);
        Assert.Contains("Channel channel-woocommerce is waiting for a decision.", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Order id", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Delivery", message.TextBody, StringComparison.Ordinal);
    }

    private TableExceptionQueue Queue(IApproverAlert alert) =>
        new(storage.Tables, alert, TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private static OpenCaseRequest Request(ExceptionReason reason = ExceptionReason.PaymentFailed) => new(
        $"case-{Guid.NewGuid():N}",
        $"order-{Guid.NewGuid():N}",
        reason,
        "verify-payment",
        "Card was declined.",
        CasePolicy.AllowedResolutions(reason),
        Deadline);
}
