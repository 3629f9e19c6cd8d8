using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Sends a customer message for a milestone at most once per notification key.</summary>
public interface ICustomerNotifier
{
    /// <summary>Returns false when this notification was already sent.</summary>
    Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default);
}
