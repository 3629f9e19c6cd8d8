using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Cases;

/// <summary>
/// Emails the configured approver the case context: reason, step, error, allowed resolutions, deadline and the
/// order's number, lines and total (no customer contact data).
/// </summary>
public sealed partial class EmailApproverAlert(
    IEmailSender sender,
    IOrderStore orders,
    IOptions<CasesOptions> cases,
    IOptions<StoreOptions> store,
    ILogger<EmailApproverAlert> logger) : IApproverAlert
{
    public async Task AlertAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        var c = exceptionCase;
        var record = await orders.GetAsync(c.OrderId, cancellationToken);
        var orderLabel = record?.Order.OrderNumber ?? c.OrderId;
        var subject = $"[{store.Value.StoreName}] Action needed: {c.Reason} on order {orderLabel}";

        var doc = new EmailDocument()
            .Paragraph($"Order {orderLabel} is waiting for a decision.")
            .Rows(
            [
                ("Case", c.CaseId),
                ("Order id", c.OrderId),
                ("Reason", c.Reason.ToString()),
                ("Step", c.Step),
                ("Allowed resolutions", string.Join(", ", c.AllowedResolutions)),
                ("Decide by", c.Deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
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

        doc.Paragraph("If nobody decides before the deadline, the case's default policy applies.");
        var content = doc.Build(subject);
        await sender.SendAsync(
            new EmailMessage(cases.Value.ApproverEmail, null, content.Subject, content.TextBody, content.HtmlBody, $"case:{c.CaseId}"),
            cancellationToken);
        LogAlerted(c.OrderId, c.CaseId, c.Reason.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: approvers alerted about case {CaseId} ({Reason})")]
    private partial void LogAlerted(string orderId, string caseId, string reason);
}
