namespace OrderFlow.Workflows.Notifications;

/// <summary>What <see cref="OrderStatusLinkSigner.Verify"/> found about a customer status link.</summary>
public enum StatusLinkCheck
{
    /// <summary>Signature holds and the link has not expired.</summary>
    Valid,

    /// <summary>The expiry or signature is missing or unreadable.</summary>
    Malformed,

    /// <summary>The signature does not match the order id and expiry (altered, or signed with another key).</summary>
    BadSignature,

    /// <summary>Signed by this store, but past its expiry.</summary>
    Expired,
}
