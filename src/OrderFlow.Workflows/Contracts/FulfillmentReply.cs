using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The order workflow's answer to a Fulfillment child's question (<see cref="FulfillmentNotice.Dispatch"/>: go on;
/// <see cref="FulfillmentNotice.Reroute"/>: the fulfillments planned elsewhere and the lines nobody else can supply).
/// </summary>
public sealed record FulfillmentReply(IReadOnlyList<PlannedFulfillment> Plans, IReadOnlyList<FulfillmentLine> Unmoved)
{
    public const string EventName = "FulfillmentReply";
}
