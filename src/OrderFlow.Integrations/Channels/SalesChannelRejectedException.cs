namespace OrderFlow.Integrations.Channels;

/// <summary>The channel answered but refused the levels (for example Shopify userErrors); retrying the same data will not help.</summary>
public sealed class SalesChannelRejectedException : Exception
{
    public SalesChannelRejectedException()
    {
    }

    public SalesChannelRejectedException(string message)
        : base(message)
    {
    }

    public SalesChannelRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
