namespace OrderFlow.Integrations.Carrier;

/// <summary>No EasyPost rate satisfies the store's rule (none within the promised days with EasyPost:Fallback=Fail, or no allowed rate at all).</summary>
public sealed class EasyPostRateUnavailableException : Exception
{
    public EasyPostRateUnavailableException()
    {
    }

    public EasyPostRateUnavailableException(string message)
        : base(message)
    {
    }

    public EasyPostRateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
