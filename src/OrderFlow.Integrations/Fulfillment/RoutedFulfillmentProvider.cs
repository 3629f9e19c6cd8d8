using Microsoft.Extensions.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// The fulfillment port the workflow gets: picks the hand-off by the location's Routing Method. OwnWarehouse and
/// unlisted locations get the pick-list queue, ThirdPartyApi the 3PL's HTTP endpoint, DropshipEmail a purchase-order
/// email; DropshipApi, DigitalDelivery and LocalPickup have no hand-off in this build and fail with a message naming
/// the location. A cancellation takes the same way (<see cref="IFulfillmentCanceller"/>).
/// </summary>
public sealed class RoutedFulfillmentProvider(
    IOptions<RoutingOptions> routing,
    IFulfillmentProvider warehouseQueue,
    IFulfillmentProvider thirdPartyApi,
    IFulfillmentProvider dropshipEmail) : IFulfillmentProvider, IFulfillmentCanceller
{
    /// <summary>Tells the location by the same Routing Method; its hand-off adapter is also its cancellation adapter.</summary>
    public Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        var dispatch = new FulfillmentDispatch(cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, cancellation.Lines, cancellation.TrackingNumber ?? string.Empty, cancellation.IdempotencyKey);
        return ProviderFor(dispatch) is IFulfillmentCanceller canceller
            ? canceller.CancelAsync(cancellation, cancellationToken)
            : throw new NotSupportedException($"The hand-off adapter of location '{cancellation.Location}' cannot cancel; fulfillment {cancellation.FulfillmentId} was not recalled.");
    }

    public Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        return ProviderFor(dispatch).DispatchAsync(dispatch, cancellationToken);
    }

    private IFulfillmentProvider ProviderFor(FulfillmentDispatch dispatch)
    {
        var method = routing.Value.Find(dispatch.Location)?.Method ?? FulfillmentMethod.OwnWarehouse;
        return method switch
        {
            FulfillmentMethod.OwnWarehouse => warehouseQueue,
            FulfillmentMethod.ThirdPartyApi => thirdPartyApi,
            FulfillmentMethod.DropshipEmail => dropshipEmail,
            _ => throw new NotSupportedException(
                $"Location '{dispatch.Location}' is configured with Method {method}, which has no fulfillment hand-off in this build "
                + $"(supported: {FulfillmentMethod.OwnWarehouse}, {FulfillmentMethod.ThirdPartyApi}, {FulfillmentMethod.DropshipEmail}); "
                + $"fulfillment {dispatch.FulfillmentId} was not handed off."),
        };
    }
}
