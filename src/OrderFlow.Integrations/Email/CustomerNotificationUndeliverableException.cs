using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// A customer email could not be delivered and retrying will not change that (hard bounce at SMTP time). Thrown by
/// <see cref="CustomerNotifier"/> after it recorded the failure on the outbox row and the order's timeline, so the
/// notify activity fails and, once its retries are exhausted, the workflow raises an exception case instead of
/// going on silently. Carries ids and the SMTP code only, no customer data.
/// </summary>
public sealed class CustomerNotificationUndeliverableException : Exception
{
    public CustomerNotificationUndeliverableException()
    {
    }

    public CustomerNotificationUndeliverableException(string message)
        : base(message)
    {
    }

    public CustomerNotificationUndeliverableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CustomerNotificationUndeliverableException(CustomerNotification notification, EmailRejectedException rejected)
        : base(
            $"Order {notification?.OrderId}: the {notification?.Milestone} email (notification {notification?.Key}) was rejected by the mail server " +
            $"({rejected?.Rejected}, SMTP {rejected?.SmtpStatusCode}); check the customer's email address with them.",
            rejected)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(rejected);
        OrderId = notification.OrderId;
        NotificationKey = notification.Key;
        Milestone = notification.Milestone;
        SmtpStatusCode = rejected.SmtpStatusCode;
    }

    public string OrderId { get; } = string.Empty;

    public string NotificationKey { get; } = string.Empty;

    public Milestone Milestone { get; }

    public int SmtpStatusCode { get; }
}
