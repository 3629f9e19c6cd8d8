namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// A 3PL refused or failed a hand-off (after the transient retries). 4xx other than 408/429 is the 3PL saying no:
/// not transient, a person must look. Carries no request data (the ship-to address stays out of messages and logs).
/// </summary>
public sealed class ThirdPartyFulfillmentException : Exception
{
    public ThirdPartyFulfillmentException()
    {
    }

    public ThirdPartyFulfillmentException(string message)
        : base(message)
    {
    }

    public ThirdPartyFulfillmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ThirdPartyFulfillmentException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status of the 3PL's answer.</summary>
    public int StatusCode { get; }

    /// <summary>408, 429 and 5xx: worth another try later (the durable retry policy's job once Polly gave up).</summary>
    public bool IsTransient => StatusCode is 408 or 429 or >= 500;
}
