using OrderFlow.Testing;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Approvals;

/// <summary>Approver and reminder emails carry one signed link per allowed resolution, bound to the case and the recipient.</summary>
public sealed partial class ApproverEmailLinksTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Approvers = "approvers@shop.example.com";
    private const string Escalation = "head-of-ops@shop.example.com";

    [Fact]
    public async Task AlertAsync_FraudCase_EmailHasOneVerifiableLinkPerAllowedResolution()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var (queue, request) = await QueueAsync(smtp, ExceptionReason.FraudReview);

        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);

        var message = Assert.Single(smtp.Messages);
        var tokens = Tokens(message.TextBody);
        Assert.Equal(2, tokens.Count);
        var claims = tokens.Select(t =>
        {
            Assert.Equal(ApprovalTokenCheck.Valid, TestApprovals.Signer().Verify(t, out var c));
            return c!;
        }).ToList();
        Assert.Equal([CaseResolution.Approve, CaseResolution.Cancel], claims.Select(c => c.Resolution));
        Assert.All(claims, c => Assert.Equal((request.CaseId, Approvers), (c.CaseId, c.Approver)));
        Assert.Equal(2, claims.Select(c => c.Nonce).Distinct().Count());
        Assert.Contains($"{TestApprovals.PublicBaseUrl}/api/approvals/", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemindAsync_OpenCase_RemindsEscalationOnceWithItsOwnLinks()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var (queue, request) = await QueueAsync(smtp, ExceptionReason.OutOfStock);
        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);

        await queue.RemindAsync(request.CaseId);
        await queue.RemindAsync(request.CaseId);

        Assert.Equal(2, smtp.Messages.Count);
        var reminder = smtp.Messages[1];
        Assert.Equal(Escalation, Assert.Single(reminder.To.Mailboxes).Address);
        Assert.StartsWith("[Demo Store] Reminder", reminder.Subject, StringComparison.Ordinal);
        TestApprovals.Signer().Verify(Tokens(reminder.TextBody)[0], out var claims);
        Assert.Equal((request.CaseId, Escalation), (claims!.CaseId, claims.Approver));
        Assert.NotNull((await queue.GetAsync(request.CaseId))!.RemindedAt);
    }

    [Fact]
    public async Task RemindAsync_CaseAlreadyDecided_SendsNothing()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var (queue, request) = await QueueAsync(smtp, ExceptionReason.OutOfStock);
        await queue.OpenAsync(request);
        await queue.AlertAsync(request.CaseId);
        Assert.True(await queue.TryRecordDecisionAsync(request.CaseId, CaseResolution.Cancel, Approvers, null, CaseStatuses.Resolved));

        await queue.RemindAsync(request.CaseId);

        Assert.Single(smtp.Messages);
    }

    private async Task<(TableExceptionQueue Queue, OpenCaseRequest Request)> QueueAsync(TestSmtpServer smtp, ExceptionReason reason)
    {
        var orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        var order = TestOrders.Create($"order-{Guid.NewGuid():N}");
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        var alert = new EmailApproverAlert(
            new SmtpEmailSender(Options.Create(smtp.SmtpOptions()), NullLogger<SmtpEmailSender>.Instance),
            orders,
            Options.Create(new CasesOptions { ApproverEmail = Approvers, EscalationEmail = Escalation }),
            Options.Create(TestStore.Options()),
            TestApprovals.Signer(),
            NullLogger<EmailApproverAlert>.Instance);
        var queue = new TableExceptionQueue(storage.Tables, alert, TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        var request = new OpenCaseRequest(
            $"{order.OrderId}-step-1", order.OrderId, reason, "step", "Needs a person.", CasePolicy.AllowedResolutions(reason), DateTimeOffset.UtcNow.AddDays(3));
        return (queue, request);
    }

    private static List<string> Tokens(string? text) =>
        LinkPattern().Matches(text ?? string.Empty).Select(m => m.Groups["token"].Value).ToList();

    [GeneratedRegex(@"/api/approvals/(?<token>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
