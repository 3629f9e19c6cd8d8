using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Cases;

/// <summary>
/// Emails the case context: reason, step, error, allowed resolutions, deadline and the order's number, lines and total
/// (no customer contact data), with one signed, expiring, single-use link per allowed resolution. The link opens a
/// confirmation page; nothing is decided until the approver confirms there.
/// </summary>
public sealed partial class EmailApproverAlert(
    IEmailSender sender,
    IOrderStore orders,
    IOptions<CasesOptions> cases,
    IOptions<StoreOptions> store,
    ApprovalLinkSigner signer,
    ILogger<EmailApproverAlert> logger) : IApproverAlert
{
    public async Task AlertAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        await SendAsync(exceptionCase, cases.Value.ApproverEmail, reminder: false, cancellationToken);
        LogAlerted(exceptionCase.OrderId, exceptionCase.CaseId, exceptionCase.Reason.ToString());
    }

    public async Task RemindAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        await SendAsync(exceptionCase, cases.Value.ReminderRecipient, reminder: true, cancellationToken);
        LogReminded(exceptionCase.OrderId, exceptionCase.CaseId);
    }

    private async Task SendAsync(ExceptionCase c, string recipient, bool reminder, CancellationToken cancellationToken)
    {
        var record = c.NamesAnOrder ? await orders.GetAsync(c.OrderId, cancellationToken) : null;
        // A rejected intake made no order: the case names the delivery (a channel sync failure, the channel) instead.
        var (kind, name) = (c.Subject.ToLowerInvariant(), record?.Order.OrderNumber ?? c.OrderId);
        var subject = reminder
            ? $"[{store.Value.StoreName}] Reminder, still undecided: {c.Reason} on {kind} {name}"
            : $"[{store.Value.StoreName}] Action needed: {c.Reason} on {kind} {name}";
        var opening = $"{c.Subject} {name}";

        var doc = new EmailDocument()
            .Paragraph(reminder
                ? $"{opening} has been waiting for a decision since {Format(c.OpenedAt)}; nobody has decided yet."
                : $"{opening} is waiting for a decision.")
            .Rows(
            [
                ("Case", c.CaseId),
                (c.NamesAnOrder ? "Order id" : c.Subject, c.OrderId),
                ("Reason", c.Reason.ToString()),
                ("Step", c.Step),
                ("Allowed resolutions", string.Join(", ", c.AllowedResolutions)),
                ("Decide by", Format(c.Deadline)),
            ])
            .Heading("What happened")
            .Paragraph(c.Error);

        if (record is not null)
        {
            var order = record.Order;
            doc.Heading("Order")
                .Rows(order.Lines.Select(l => ($"{l.Quantity} x {l.Sku} ({l.Title})", Currencies.Format(l.Total.MinorUnits, l.Total.Currency))))
                .Rows([("Total", Currencies.Format(order.Totals.Total.MinorUnits, order.Totals.Total.Currency)), ("Status", record.Status.ToString())], emphasizeLast: false);
        }

        // One link per action, each bound to this case, this action and this recipient; the page asks to confirm.
        doc.Heading("Decide");
        foreach (var resolution in c.AllowedResolutions)
        {
            if (resolution == CaseResolution.CorrectAddress)
            {
                // An address has to be typed in, which a link cannot carry.
                doc.Paragraph("CorrectAddress: use the operations console to enter the corrected address.");
                continue;
            }

            doc.Link($"{resolution}", signer.LinkFor(signer.Issue(c.CaseId, resolution, recipient)));
        }

        doc.Paragraph("Each link opens a confirmation page, works once, and only for this case. If nobody decides before the deadline, the case's default policy applies.");
        var content = doc.Build(subject);
        await sender.SendAsync(
            new EmailMessage(recipient, null, content.Subject, content.TextBody, content.HtmlBody, reminder ? $"case-reminder:{c.CaseId}" : $"case:{c.CaseId}"),
            cancellationToken);
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: approvers alerted about case {CaseId} ({Reason})")]
    private partial void LogAlerted(string orderId, string caseId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: escalation reminder sent for case {CaseId}")]
    private partial void LogReminded(string orderId, string caseId);
}
