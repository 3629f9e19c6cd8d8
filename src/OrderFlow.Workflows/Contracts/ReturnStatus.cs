namespace OrderFlow.Workflows.Contracts;

/// <summary>Where a return is. Stored by name; workflow history stores the number: append new values at the end.</summary>
public enum ReturnStatus
{
    Requested,
    Authorized,

    /// <summary>The policy refused the request (reasons on the record's note).</summary>
    Refused,

    /// <summary>The parcel arrived; units restocked or written off.</summary>
    Received,

    /// <summary>The money went back to the customer and the credit note was posted.</summary>
    Refunded,

    /// <summary>Received, but nothing was refunded (every unit missing, or a person gave up on a refused refund).</summary>
    Closed,

    /// <summary>Never arrived and a person (or the deadline) closed it.</summary>
    Cancelled,
}
