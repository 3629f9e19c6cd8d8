using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Sends customer emails at most once per <see cref="CustomerNotification.Key"/> through an outbox row in the
/// Notifications table: the row is claimed ("pending", with a short lease), the email sent, then the row marked
/// "sent". A retry after "sent" returns false without sending; a retry while another attempt holds the lease throws
/// so the durable retry comes back later, unless the lease was left by an earlier start of this same worker
/// (<see cref="ClaimHolder"/>: a host killed while sending), which is taken over at once. A crash between send and mark can resend once, with the same Message-Id.
/// A permanent refusal by the mail server marks the row "failed" (claimable again, e.g. after the address is fixed),
/// notes it on the order's timeline and throws <see cref="CustomerNotificationUndeliverableException"/>.
/// </summary>
public sealed partial class CustomerNotifier(
    IOrderStore orders,
    OrderFlowTables tables,
    IEmailSender sender,
    IOptions<StoreOptions> store,
    OrderStatusLinkSigner statusLinks,
    ClaimHolder holder,
    TimeProvider clock,
    ILogger<CustomerNotifier> logger) : ICustomerNotifier
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    // Longer than one SMTP send (timeout 30 s by default), shorter than the workflow's retry back-off.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(60);

    public async Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var record = await orders.GetAsync(notification.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {notification.OrderId} is not recorded; cannot send {notification.Milestone} email.");

        // Render first: it is pure and can fail (e.g. fulfillment not recorded yet) without touching the outbox.
        var template = CustomerEmailRenderer.TemplateFor(record, notification);
        var content = CustomerEmailRenderer.Render(record, notification, store.Value, statusLinks.LinkFor(notification.OrderId));
        var table = await tables.GetAsync(TableNames.Notifications, cancellationToken);
        var partition = TableKeys.Encode(notification.OrderId);
        var row = TableKeys.Encode(notification.Key);
        if (!await TryClaimAsync(table, partition, row, notification, template, cancellationToken))
        {
            LogAlreadySent(notification.OrderId, notification.Key);
            return false;
        }

        string messageId;
        try
        {
            var customer = record.Order.Customer;
            messageId = await sender.SendAsync(
                new EmailMessage(
                    customer.Email,
                    $"{customer.FirstName} {customer.LastName}".Trim(),
                    content.Subject,
                    content.TextBody,
                    content.HtmlBody,
                    notification.Key,
                    store.Value.SupportEmail),
                cancellationToken);
        }
        catch (EmailRejectedException rejected)
        {
            await MarkFailedAsync(table, partition, row, rejected);
            await orders.AppendTimelineAsync(
                notification.OrderId,
                new TimelineEntry(clock.GetUtcNow(), "email", $"{Describe(notification, template)} was rejected by the mail server ({rejected.Rejected}, SMTP {rejected.SmtpStatusCode}); not sent."),
                CancellationToken.None);
            LogRejected(notification.OrderId, notification.Key, notification.Milestone, rejected.SmtpStatusCode);
            throw new CustomerNotificationUndeliverableException(notification, rejected);
        }
        catch
        {
            await ReleaseClaimAsync(table, partition, row);
            throw;
        }

        await table.UpdateEntityAsync(
            new TableEntity(partition, row) { ["Status"] = Sent, ["SentAt"] = clock.GetUtcNow(), ["MessageId"] = messageId },
            ETag.All,
            TableUpdateMode.Merge,
            CancellationToken.None);
        await orders.AppendTimelineAsync(notification.OrderId, new TimelineEntry(clock.GetUtcNow(), "email", $"Sent {Describe(notification, template)}."), CancellationToken.None);
        LogSent(notification.OrderId, notification.Key, notification.Milestone);
        return true;
    }

    /// <summary>True when this call owns the send; false when the notification was already sent.</summary>
    private async Task<bool> TryClaimAsync(TableClient table, string partition, string row, CustomerNotification notification, string template, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value is null)
            {
                var entity = new TableEntity(partition, row)
                {
                    ["OrderId"] = notification.OrderId,
                    ["NotificationKey"] = notification.Key,
                    ["Milestone"] = notification.Milestone.ToString(),
                    ["FulfillmentId"] = notification.FulfillmentId,
                    ["Reference"] = notification.Reference,
                    ["Template"] = template,
                    ["Status"] = Pending,
                    ["Attempts"] = 1,
                    ["CreatedAt"] = now,
                    ["ClaimedUntil"] = now + ClaimLease,
                    ["ClaimedBy"] = holder.Name,
                };
                try
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
                {
                    continue;
                }
            }

            var current = existing.Value;
            if (current.GetString("Status") == Sent)
            {
                return false;
            }

            if (current.GetDateTimeOffset("ClaimedUntil") is { } until && until > now && !holder.LeftByPredecessor(current.GetString("ClaimedBy")))
            {
                throw new NotificationInFlightException(
                    $"Notification {notification.Key} for order {notification.OrderId} is being sent by another attempt until {until:O}; retry later.");
            }

            var claim = new TableEntity(partition, row)
            {
                ["Attempts"] = (current.GetInt32("Attempts") ?? 0) + 1,
                ["ClaimedUntil"] = now + ClaimLease,
                ["ClaimedBy"] = holder.Name,
            };
            try
            {
                await table.UpdateEntityAsync(claim, current.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex))
            {
                // Another attempt claimed or finished it in between: look again.
            }
        }
    }

    /// <summary>"Shipped email for fulfillment F1 (template partially-shipped)": what the timeline says was sent.</summary>
    private static string Describe(CustomerNotification notification, string template)
    {
        var scope = notification.FulfillmentId is null ? string.Empty : $" for fulfillment {notification.FulfillmentId}";
        var reference = notification.Reference is null ? string.Empty : $", reference {notification.Reference}";
        return $"{notification.Milestone} email{scope}{reference} (template {template})";
    }

    private async Task MarkFailedAsync(TableClient table, string partition, string row, EmailRejectedException rejected)
    {
        try
        {
            await table.UpdateEntityAsync(
                new TableEntity(partition, row)
                {
                    ["Status"] = Failed,
                    ["FailedAt"] = clock.GetUtcNow(),
                    ["LastError"] = $"{rejected.Rejected} rejected, SMTP {rejected.SmtpStatusCode}",
                    ["ClaimedUntil"] = clock.GetUtcNow(),
                },
                ETag.All,
                TableUpdateMode.Merge,
                CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Best effort: the lease expires by itself, and the exception below still reaches the workflow.
        }
    }

    private async Task ReleaseClaimAsync(TableClient table, string partition, string row)
    {
        try
        {
            await table.UpdateEntityAsync(new TableEntity(partition, row) { ["ClaimedUntil"] = clock.GetUtcNow() }, ETag.All, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Best effort: the lease expires by itself.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: {Milestone} email sent (notification {NotificationKey})")]
    private partial void LogSent(string orderId, string notificationKey, Milestone milestone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Milestone} email rejected by the mail server, SMTP {StatusCode} (notification {NotificationKey})")]
    private partial void LogRejected(string orderId, string notificationKey, Milestone milestone, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: notification {NotificationKey} was already sent; skipped")]
    private partial void LogAlreadySent(string orderId, string notificationKey);
}
