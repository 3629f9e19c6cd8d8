using OrderFlow.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Moq;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class CustomerNotifierTests(StorageFixture storage) : IClassFixture<StorageFixture>, IAsyncLifetime
{
    private readonly TableOrderStore orders = new(storage.Tables, NullLogger<TableOrderStore>.Instance);
    private readonly ListLogger<CustomerNotifier> notifierLog = new();
    private readonly ListLogger<SmtpEmailSender> senderLog = new();
    private TestSmtpServer smtp = null!;
    private static readonly ClaimHolder Holder = new("test-worker", SoleProcessPerWorker: false);
    private CustomerNotifier notifier = null!;

    public async Task InitializeAsync()
    {
        smtp = await TestSmtpServer.StartAsync();
        notifier = new CustomerNotifier(
            orders,
            storage.Tables,
            new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), senderLog),
            Options.Create(TestStore.Options()),
            TestStore.StatusLinks(),
            Holder,
            TimeProvider.System,
            notifierLog);
    }

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    [Fact]
    public async Task NotifyAsync_CalledTwiceWithSameKey_SendsOnceAndSecondReturnsFalse()
    {
        var order = await RecordedOrderAsync();
        var notification = new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null);

        Assert.True(await notifier.NotifyAsync(notification));
        Assert.False(await notifier.NotifyAsync(notification));

        Assert.Single(smtp.Messages);
        var record = await orders.GetAsync(order.OrderId);
        var email = Assert.Single(record!.Timeline, t => t.Kind == "email");
        Assert.Equal("Sent OrderConfirmed email (template order-confirmed).", email.Message);
        Assert.DoesNotContain(TestOrders.Email, email.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NotifyAsync_ConcurrentCallsWithSameKey_SendOnce()
    {
        var order = await RecordedOrderAsync();
        var notification = new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null);

        // Losers either see "sent" (false) or a live claim (retryable exception); none may send a second email.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return await notifier.NotifyAsync(notification) ? "sent" : "skipped";
            }
            catch (InvalidOperationException)
            {
                return "busy";
            }
        }));

        Assert.Single(outcomes, o => o == "sent");
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task NotifyAsync_OrderConfirmed_ContentHasNameNumberAmountsAndSupportPath()
    {
        var order = await RecordedOrderAsync();

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("Your Demo Store order #1001 is confirmed", message.Subject);
        Assert.Equal(TestOrders.Email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("support@shop.example.com", Assert.Single(message.ReplyTo.Mailboxes).Address);
        Assert.Equal(SmtpEmailSender.MessageIdFor($"{order.OrderId}:OrderConfirmed", "orders@shop.example.com"), message.MessageId);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("Hi Jane,", body, StringComparison.Ordinal);
            Assert.Contains("#1001", body, StringComparison.Ordinal);
            Assert.Contains("2 x Ceramic Mug", body, StringComparison.Ordinal);
            Assert.Contains("$12.50 each, $25.00", body, StringComparison.Ordinal);
            Assert.Contains("$24.00", body, StringComparison.Ordinal);
            Assert.Contains("-$5.00", body, StringComparison.Ordinal);
            Assert.Contains("$54.51", body, StringComparison.Ordinal);
            Assert.Contains("support@shop.example.com", body, StringComparison.Ordinal);
            Assert.Contains("https://shop.example.com/help", body, StringComparison.Ordinal);
            Assert.Contains($"https://shop.example.com/orders/{order.OrderId}", body, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"mailto:support@shop.example.com\"", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Shipped_ContainsCarrierTrackingLinkAndParcelItems()
    {
        var order = await RecordedOrderAsync();
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        var f2 = OrderIds.Fulfillment(order.OrderId, 2);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX123456789012", "https://tracking.example/SBX123456789012", "https://labels.example/SBX123456789012.pdf"));
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f2, "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "awaiting-confirmation", null, null, null, null));

        Assert.True(await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Shipped, f1)));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("Part of your Demo Store order #1001 has shipped", message.Subject);
        Assert.Contains("SandboxPost", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("SBX123456789012", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("2 x Ceramic Mug", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Logo T-Shirt", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Track your parcel: https://tracking.example/SBX123456789012", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://tracking.example/SBX123456789012\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(">Track your parcel</a>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ShippedForEachFulfillment_SendsOnePerParcel()
    {
        var order = await RecordedOrderAsync();
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        var f2 = OrderIds.Fulfillment(order.OrderId, 2);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX1", "https://tracking.example/SBX1", null));
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f2, "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "shipped", "SandboxPost", "SBX2", "https://tracking.example/SBX2", null));

        Assert.True(await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Shipped, f1)));
        Assert.True(await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Shipped, f2)));
        Assert.False(await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Shipped, f1)));

        Assert.Equal(2, smtp.Messages.Count);
        Assert.NotEqual(smtp.Messages[0].MessageId, smtp.Messages[1].MessageId);
    }

    [Fact]
    public async Task NotifyAsync_OnHold_UsesNeutralWording()
    {
        var order = await RecordedOrderAsync();

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.OnHold, null));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("An update on your Demo Store order #1001", message.Subject);
        Assert.Contains("taking a closer look", message.TextBody, StringComparison.Ordinal);
        foreach (var word in new[] { "fraud", "risk", "suspicious", "declined" })
        {
            Assert.DoesNotContain(word, message.TextBody, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task NotifyAsync_Cancelled_SaysCancelledWithTotal()
    {
        var order = await RecordedOrderAsync();

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Cancelled, null));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("Your Demo Store order #1001 has been cancelled", message.Subject);
        Assert.Contains("$54.51", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_MarkupInCustomerName_IsHtmlEncoded()
    {
        var order = await RecordedOrderAsync(firstName: "<script>alert(1)</script>");

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null));

        var message = Assert.Single(smtp.Messages);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hi <script>alert(1)</script>,", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Sent_LogsCarryOrderIdButNoCustomerData()
    {
        var order = await RecordedOrderAsync();

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null));

        var logs = notifierLog.Entries.Concat(senderLog.Entries).ToList();
        Assert.Contains(notifierLog.Entries, e => e.Contains($"OrderId={order.OrderId}", StringComparison.Ordinal));
        foreach (var pii in new[] { TestOrders.Email, "Jane", "Doe", "Fifth Avenue", "10118" })
        {
            Assert.DoesNotContain(logs, e => e.Contains(pii, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task NotifyAsync_SendFailsThenRetried_RetrySendsOnce()
    {
        var order = await RecordedOrderAsync();
        var sender = new Mock<IEmailSender>();
        sender.SetupSequence(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("relay unavailable"))
            .ReturnsAsync("id-1@shop.example.com");
        var flaky = new CustomerNotifier(orders, storage.Tables, sender.Object, Options.Create(TestStore.Options()), TestStore.StatusLinks(), Holder, TimeProvider.System, notifierLog);
        var notification = new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null);

        await Assert.ThrowsAsync<IOException>(() => flaky.NotifyAsync(notification));
        Assert.True(await flaky.NotifyAsync(notification));
        Assert.False(await flaky.NotifyAsync(notification));

        sender.Verify(s => s.SendAsync(It.Is<EmailMessage>(m => m.NotificationKey == notification.Key), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task NotifyAsync_ClaimLeftByAKilledStartOfThisWorker_NextStartSendsAtOnceOthersWait()
    {
        var order = await RecordedOrderAsync();
        var notification = new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null);
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hung = new Mock<IEmailSender>();
        hung.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async (EmailMessage _, CancellationToken ct) =>
            {
                sending.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return "never";
            });
        var sent = new Mock<IEmailSender>();
        sent.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ReturnsAsync("id-2@shop.example.com");
        CustomerNotifier Notifier(IEmailSender sender, ClaimHolder holder) =>
            new(orders, storage.Tables, sender, Options.Create(TestStore.Options()), TestStore.StatusLinks(), holder, TimeProvider.System, notifierLog);

        // The host's first start claims the email and dies while sending (its call never returns).
        using var killed = new CancellationTokenSource();
        var first = Notifier(hung.Object, new ClaimHolder("host-1", SoleProcessPerWorker: true)).NotifyAsync(notification, killed.Token);
        await sending.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Another worker, and the same worker name where several processes may share it, wait for the claim to run out.
        await Assert.ThrowsAsync<NotificationInFlightException>(() => Notifier(sent.Object, new ClaimHolder("host-2", SoleProcessPerWorker: true)).NotifyAsync(notification));
        await Assert.ThrowsAsync<NotificationInFlightException>(() => Notifier(sent.Object, new ClaimHolder("host-1", SoleProcessPerWorker: false)).NotifyAsync(notification));

        // The host's next start takes the claim over at once and sends.
        Assert.True(await Notifier(sent.Object, new ClaimHolder("host-1", SoleProcessPerWorker: true)).NotifyAsync(notification));
        sent.Verify(s => s.SendAsync(It.Is<EmailMessage>(m => m.NotificationKey == notification.Key), It.IsAny<CancellationToken>()), Times.Once);
        await killed.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Fact]
    public async Task NotifyAsync_UnknownOrder_ThrowsAndSendsNothing()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => notifier.NotifyAsync(new CustomerNotification($"missing-{Guid.NewGuid():N}", Milestone.OrderConfirmed, null)));

        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task NotifyAsync_Shipped_TimelineSaysMilestoneFulfillmentAndTemplate()
    {
        var order = await RecordedOrderAsync();
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        var f2 = OrderIds.Fulfillment(order.OrderId, 2);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX1", "https://tracking.example/SBX1", null));
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f2, "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "awaiting-confirmation", null, null, null, null));

        await notifier.NotifyAsync(new CustomerNotification(order.OrderId, Milestone.Shipped, f1));

        var record = await orders.GetAsync(order.OrderId);
        var email = Assert.Single(record!.Timeline, t => t.Kind == "email");
        Assert.Equal($"Sent Shipped email for fulfillment {f1} (template partially-shipped).", email.Message);
        var row = await OutboxRowAsync(order.OrderId, $"{order.OrderId}:Shipped:{f1}");
        Assert.Equal("partially-shipped", row.GetString("Template"));
        Assert.Equal(CustomerNotifier.Sent, row.GetString("Status"));
    }

    [Fact]
    public async Task NotifyAsync_RepeatableMilestoneWithReferences_SendsOncePerReference()
    {
        var order = await RecordedOrderAsync();
        var first = new CustomerNotification(order.OrderId, Milestone.Refunded, null, "refund-1", new Dictionary<string, string> { [CustomerNotification.DetailKeys.Amount] = "1250" });
        var second = new CustomerNotification(order.OrderId, Milestone.Refunded, null, "refund-2", new Dictionary<string, string> { [CustomerNotification.DetailKeys.Amount] = "2400" });

        Assert.True(await notifier.NotifyAsync(first));
        Assert.True(await notifier.NotifyAsync(second));
        Assert.False(await notifier.NotifyAsync(first));

        Assert.Equal(2, smtp.Messages.Count);
        Assert.Contains(smtp.Messages, m => m.TextBody!.Contains("We have refunded $12.50", StringComparison.Ordinal));
        Assert.Contains(smtp.Messages, m => m.TextBody!.Contains("We have refunded $24.00", StringComparison.Ordinal));
        var record = await orders.GetAsync(order.OrderId);
        Assert.Contains(record!.Timeline, t => t.Message == "Sent Refunded email, reference refund-2 (template refunded).");
    }

    [Fact]
    public async Task NotifyAsync_MailServerRejects_ThrowsTypedExceptionRecordsItAndALaterRetrySendsOnce()
    {
        var order = await RecordedOrderAsync();
        var sender = new Mock<IEmailSender>();
        sender.SetupSequence(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailRejectedException(550, "recipient"))
            .ReturnsAsync("id-1@shop.example.com");
        var bouncing = new CustomerNotifier(orders, storage.Tables, sender.Object, Options.Create(TestStore.Options()), TestStore.StatusLinks(), Holder, TimeProvider.System, notifierLog);
        var notification = new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null);

        var ex = await Assert.ThrowsAsync<CustomerNotificationUndeliverableException>(() => bouncing.NotifyAsync(notification));

        Assert.Equal(550, ex.SmtpStatusCode);
        Assert.Equal(notification.Key, ex.NotificationKey);
        Assert.Equal(Milestone.OrderConfirmed, ex.Milestone);
        Assert.DoesNotContain(TestOrders.Email, ex.ToString(), StringComparison.OrdinalIgnoreCase);
        var row = await OutboxRowAsync(order.OrderId, notification.Key);
        Assert.Equal(CustomerNotifier.Failed, row.GetString("Status"));
        Assert.Equal("recipient rejected, SMTP 550", row.GetString("LastError"));
        var record = await orders.GetAsync(order.OrderId);
        var failure = Assert.Single(record!.Timeline, t => t.Kind == "email");
        Assert.Equal("OrderConfirmed email (template order-confirmed) was rejected by the mail server (recipient, SMTP 550); not sent.", failure.Message);

        // Once the address is fixed, a replay of the step sends it, and only once.
        Assert.True(await bouncing.NotifyAsync(notification));
        Assert.False(await bouncing.NotifyAsync(notification));
        sender.Verify(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(CustomerNotifier.Sent, (await OutboxRowAsync(order.OrderId, notification.Key)).GetString("Status"));
    }

    [Fact]
    public async Task NotifyAsync_BadTemplateData_ThrowsBeforeClaimingTheOutbox()
    {
        var order = await RecordedOrderAsync();
        var notification = new CustomerNotification(order.OrderId, Milestone.Refunded, null, null, new Dictionary<string, string> { [CustomerNotification.DetailKeys.Amount] = "12.50" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => notifier.NotifyAsync(notification));

        Assert.Empty(smtp.Messages);
        var table = await storage.Tables.GetAsync(TableNames.Notifications);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(order.OrderId), TableKeys.Encode(notification.Key))).HasValue);
    }

    private async Task<TableEntity> OutboxRowAsync(string orderId, string key)
    {
        var table = await storage.Tables.GetAsync(TableNames.Notifications);
        return (await table.GetEntityAsync<TableEntity>(TableKeys.Encode(orderId), TableKeys.Encode(key))).Value;
    }

    private async Task<Order> RecordedOrderAsync(string firstName = "Jane")
    {
        var order = TestOrders.Create(firstName: firstName);
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        return order;
    }
}
