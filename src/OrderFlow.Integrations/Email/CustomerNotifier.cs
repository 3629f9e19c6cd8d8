using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Sends customer emails at most once per <see cref="CustomerNotification.Key"/> through an outbox row in the
/// Notifications table: the row is claimed ("pending", with a short lease), the email sent, then the row marked
/// "sent". A retry after "sent" returns false without sending; a retry while another attempt holds the lease throws
/// so the durable retry comes back later. A crash between send and mark can resend once, with the same Message-Id.
/// </summary>
public sealed partial class CustomerNotifier(
    IOrderStore orders,
    OrderFlowTables tables,
    IEmailSender sender,
    IOptions<StoreOptions> store,
    TimeProvider clock,
    ILogger<CustomerNotifier> logger) : ICustomerNotifier
{
    public const string Pending = "pending";
    public const string Sent = "sent";

    // Longer than one SMTP send (timeout 30 s by default), shorter than the workflow's retry back-off.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(60);

    public async Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var record = await orders.GetAsync(notification.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {notification.OrderId} is not recorded; cannot send {notification.Milestone} email.");

        // Render first: it is pure and can fail (e.g. fulfillment not recorded yet) without touching the outbox.
        var content = CustomerEmailRenderer.Render(record, notification, store.Value);
        var table = await tables.GetAsync(TableNames.Notifications, cancellationToken);
        var partition = TableKeys.Encode(notification.OrderId);
        var row = TableKeys.Encode(notification.Key);
        if (!await TryClaimAsync(table, partition, row, notification, cancellationToken))
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
        await orders.AppendTimelineAsync(notification.OrderId, new TimelineEntry(clock.GetUtcNow(), "email", $"Sent {notification.Milestone} email."), CancellationToken.None);
        LogSent(notification.OrderId, notification.Key, notification.Milestone);
        return true;
    }

    /// <summary>True when this call owns the send; false when the notification was already sent.</summary>
    private async Task<bool> TryClaimAsync(TableClient table, string partition, string row, CustomerNotification notification, CancellationToken cancellationToken)
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
                    ["Status"] = Pending,
                    ["Attempts"] = 1,
                    ["CreatedAt"] = now,
                    ["ClaimedUntil"] = now + ClaimLease,
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

            if (current.GetDateTimeOffset("ClaimedUntil") is { } until && until > now)
            {
                throw new InvalidOperationException(
                    $"Notification {notification.Key} for order {notification.OrderId} is being sent by another attempt until {until:O}; retry later.");
            }

            var claim = new TableEntity(partition, row)
            {
                ["Attempts"] = (current.GetInt32("Attempts") ?? 0) + 1,
                ["ClaimedUntil"] = now + ClaimLease,
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: notification {NotificationKey} was already sent; skipped")]
    private partial void LogAlreadySent(string orderId, string notificationKey);
}
