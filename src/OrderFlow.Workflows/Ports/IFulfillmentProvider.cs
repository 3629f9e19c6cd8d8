using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Hands fulfillments to the location that packs them; the location confirms later by an event.</summary>
public interface IFulfillmentProvider
{
    /// <summary>Returns the provider's reference for the hand-off.</summary>
    Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default);
}
