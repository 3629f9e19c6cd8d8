using System.Text.Json.Serialization;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Input of <see cref="BuyLabelActivity"/>; <see cref="Attempt"/> counts purchases after an address correction (new
/// idempotency key). <see cref="KeyInstanceId"/> is the order workflow's instance id when a Fulfillment child buys the
/// label (the key stays the order's); null (and not written) when the order workflow itself calls.
/// </summary>
public sealed record BuyLabelRequest(
    string OrderId,
    PlannedFulfillment Fulfillment,
    int Attempt = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KeyInstanceId = null);
