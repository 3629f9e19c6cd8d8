using OrderFlow.EndToEnd.Tests.Contracts;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions on a SKU's stock and on pick lists, shared by the order and restart tests.</summary>
public static class StockAssert
{
    /// <summary>The order holds <paramref name="quantity"/> units at <paramref name="location"/> and nobody else holds any.</summary>
    public static void HeldBy(StockResponse stock, string orderId, string location, int quantity, int onHand)
    {
        Assert.Equal(onHand, stock.OnHand);
        Assert.Equal(quantity, stock.Reserved);
        Assert.Equal(onHand - quantity, stock.Available);
        Assert.Equal(new LocationStockResponse(onHand, quantity, onHand - quantity), stock.Locations[location]);
        var hold = Assert.Single(stock.Reservations);
        Assert.Equal(orderId, hold.OrderId);
        Assert.Equal(quantity, hold.Quantity);
        Assert.Equal([new AllocationResponse(location, quantity)], hold.Allocations);
    }

    /// <summary>Shipping committed the units: on-hand is down and nothing is reserved any more.</summary>
    public static void Committed(StockResponse stock, string location, int onHand)
    {
        Assert.Equal(onHand, stock.OnHand);
        Assert.Equal(0, stock.Reserved);
        Assert.Empty(stock.Reservations);
        Assert.Equal(new LocationStockResponse(onHand, 0, onHand), stock.Locations[location]);
    }

    /// <summary>The pick list carries the fulfillment as the order shows it: id, location, lines and tracking number.</summary>
    public static void PickListMatches(string orderId, FulfillmentResponse fulfillment, PickList pickList)
    {
        Assert.Equal(orderId, pickList.OrderId);
        Assert.Equal(fulfillment.FulfillmentId, pickList.FulfillmentId);
        Assert.Equal(fulfillment.Location, pickList.Location);
        Assert.Equal(fulfillment.Lines, pickList.Lines);
        Assert.Equal(fulfillment.TrackingNumber, pickList.TrackingNumber);
        Assert.False(string.IsNullOrWhiteSpace(pickList.IdempotencyKey));
    }
}
