namespace OrderFlow.Workflows.Ports;

/// <summary>
/// <see cref="ICustomerNotifier.NotifyAsync"/> found the same notification claimed by another attempt that has not
/// finished yet: nothing was sent by this call; retry later (the other attempt sends it, or its claim expires).
/// </summary>
public sealed class NotificationInFlightException : InvalidOperationException
{
    public NotificationInFlightException()
    {
    }

    public NotificationInFlightException(string message)
        : base(message)
    {
    }

    public NotificationInFlightException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
