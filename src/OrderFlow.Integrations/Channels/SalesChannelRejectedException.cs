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

    /// <summary>
    /// True when <paramref name="ex"/> is the channel saying no (this exception, or an HTTP 4xx other than 408 / 429),
    /// as opposed to an outage (5xx, timeout, network), after which the write may or may not have been applied.
    /// </summary>
    public static bool IsRefusal(Exception ex) =>
        ex is SalesChannelRejectedException
        || (ex is HttpRequestException { StatusCode: { } status } && (int)status is >= 400 and < 500
            && status is not (System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.RequestTimeout));
}
