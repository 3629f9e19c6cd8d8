namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// A fault injected by <see cref="FaultInjector"/>. An <see cref="IOException"/>, so the layers that retry transient I/O
/// faults (the durable retry policy, the Azure SDK, the HTTP pipelines) treat it as the network fault it stands for.
/// </summary>
public sealed class InjectedFaultException : IOException
{
    public InjectedFaultException()
    {
    }

    public InjectedFaultException(string message)
        : base(message)
    {
    }

    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
