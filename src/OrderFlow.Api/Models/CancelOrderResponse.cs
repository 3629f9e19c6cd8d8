namespace OrderFlow.Api.Models;

/// <summary>Answer to an accepted cancellation request: its id, and where to follow the order.</summary>
public sealed record CancelOrderResponse(string RequestId, string OrderId, string StatusUrl);
