namespace OrderFlow.Workflows.Activities;

/// <summary>
/// An activity could not write the fulfillment record it carried (<see cref="FulfillmentRecordWriter.WriteCarriedAsync"/>);
/// the workflow tells this failure apart by its type (<see cref="FulfillmentRecordWriter.IsNotRecorded"/>).
/// </summary>
public sealed class FulfillmentNotRecordedException : Exception
{
    public FulfillmentNotRecordedException()
    {
    }

    public FulfillmentNotRecordedException(string message)
        : base(message)
    {
    }

    public FulfillmentNotRecordedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
