using System.Globalization;
using System.Net.Http.Json;
using System.Text;
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
/// Posts the case to a chat incoming webhook (<see cref="CasesOptions.ChatWebhookUrl"/>) as Slack-style
/// <c>{"text": "..."}</c>, which Slack and Teams both accept: reason, step, error, order number and total (no customer
/// contact data), and one signed approval link per allowed resolution from the same signer as the email. Every
/// variable value is escaped with <see cref="ChatText"/>, so text from an order cannot ping a channel or forge a link. The HttpClient
/// retries transient faults (standard resilience). A post that still fails is logged and written to the order's
/// timeline, never thrown: the case is already stored and the email alert does not depend on the chat.
/// </summary>
public sealed partial class ChatApproverAlert(
    IHttpClientFactory httpClients,
    IOrderStore orders,
    IOptions<CasesOptions> cases,
    IOptions<StoreOptions> store,
    ApprovalLinkSigner signer,
    TimeProvider clock,
    ILogger<ChatApproverAlert> logger) : IApproverAlert
{
    public const string HttpClientName = "OrderFlow.ChatAlerts";

    private const int MaxErrorChars = 1_000;

    public Task AlertAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        return PostAsync(exceptionCase, cases.Value.ApproverEmail, reminder: false, cancellationToken);
    }

    public Task RemindAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exceptionCase);
        return PostAsync(exceptionCase, cases.Value.ReminderRecipient, reminder: true, cancellationToken);
    }

    private async Task PostAsync(ExceptionCase c, string approver, bool reminder, CancellationToken cancellationToken)
    {
        var options = cases.Value;
        if (!options.ChatEnabled)
        {
            return;
        }

        string? failure;
        try
        {
            var text = await TextAsync(c, approver, reminder, cancellationToken);
            using var response = await httpClients.CreateClient(HttpClientName)
                .PostAsJsonAsync(options.ChatWebhookUrl.Trim(), new ChatMessage(text), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogPosted(c.OrderId, c.CaseId);
                return;
            }

            failure = $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The type only: messages of transport errors may name the host, and the URL carries the webhook's token.
            failure = ex.GetType().Name;
        }

        LogFailed(c.OrderId, c.CaseId, failure);
        if (!c.NamesAnOrder)
        {
            // A rejected intake or a channel failure names no order, so there is no timeline to note it on (the log line above records it).
            return;
        }

        try
        {
            await orders.AppendTimelineAsync(
                c.OrderId,
                new TimelineEntry(clock.GetUtcNow(), "case", $"Chat alert for case {c.CaseId} failed after retries ({failure}); the email alert is unaffected."),
                CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTimelineFailed(c.OrderId, c.CaseId, ex.GetType().Name);
        }
    }

    private async Task<string> TextAsync(ExceptionCase c, string approver, bool reminder, CancellationToken cancellationToken)
    {
        // Every value that is not this method's own wording goes through ChatText.Escape (Slack's &, <, >).
        static string E(string? value) => ChatText.Escape(value);
        var record = c.NamesAnOrder ? await orders.GetAsync(c.OrderId, cancellationToken) : null;
        // A rejected intake made no order: the case names the delivery (a channel sync failure, the channel) instead.
        var (kind, name) = (c.Subject.ToLowerInvariant(), E(record?.Order.OrderNumber ?? c.OrderId));
        var reason = E(c.Reason.ToString());
        var error = c.Error.Length > MaxErrorChars ? c.Error[..MaxErrorChars] + "..." : c.Error;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"[{E(store.Value.StoreName)}] ")
            .AppendLine(reminder ? $"Reminder, still undecided: {reason} on {kind} {name}" : $"Action needed: {reason} on {kind} {name}")
            .AppendLine(CultureInfo.InvariantCulture, $"Case: {E(c.CaseId)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Reason: {reason}")
            .AppendLine(CultureInfo.InvariantCulture, $"Step: {E(c.Step)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Error: {E(error)}")
            .AppendLine(CultureInfo.InvariantCulture, $"{c.Subject}: {name}");
        if (record is not null)
        {
            var total = record.Order.Totals.Total;
            text.AppendLine(CultureInfo.InvariantCulture, $"Total: {E(Currencies.Format(total.MinorUnits, total.Currency))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Decide by: {c.Deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        foreach (var resolution in c.AllowedResolutions)
        {
            var action = resolution == CaseResolution.CorrectAddress
                ? "use the operations console to enter the corrected address."
                : E(signer.LinkFor(signer.Issue(c.CaseId, resolution, approver)));
            text.AppendLine(CultureInfo.InvariantCulture, $"{resolution}: {action}");
        }

        text.Append("Each link opens a confirmation page and works once.");
        return text.ToString();
    }

    private sealed record ChatMessage(string Text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} posted to the chat webhook")]
    private partial void LogPosted(string orderId, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: chat alert for case {CaseId} failed after retries ({Failure}); the email alert is unaffected")]
    private partial void LogFailed(string orderId, string caseId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: could not record the failed chat alert for case {CaseId} on the timeline ({Failure})")]
    private partial void LogTimelineFailed(string orderId, string caseId, string failure);
}
