namespace OrderFlow.Integrations.Carrier;

/// <summary>
/// EasyPost refused or failed a request (after the transient retries): HTTP status, EasyPost's error code and message.
/// Carries no request data (addresses stay out of exception messages and logs).
/// </summary>
public sealed class EasyPostApiException : Exception
{
    public EasyPostApiException()
    {
    }

    public EasyPostApiException(string message)
        : base(message)
    {
    }

    public EasyPostApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EasyPostApiException(int statusCode, string? code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>HTTP status of EasyPost's answer.</summary>
    public int StatusCode { get; }

    /// <summary>EasyPost's machine-readable error code (e.g. SHIPMENT.INVALID_PARAMS), when it sent one.</summary>
    public string? Code { get; }

    /// <summary>429 and 5xx: worth another try later (the durable retry policy's job once Polly gave up).</summary>
    public bool IsTransient => StatusCode is 408 or 429 or >= 500;
}
