using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Tests.Orders;

/// <summary>What an order holds, shipped and did not ship while its workflow runs.</summary>
public sealed class OrderProgressTests
{
    private static PlannedFulfillment Plan(string id, params (string Sku, int Quantity)[] lines) =>
        new(id, "east", lines.Select(l => new FulfillmentLine(l.Sku, l.Quantity)).ToList());

    [Fact]
    public void OrderSku_SubstituteOrOwnSku_IsTheSkuTheCustomerOrdered()
    {
        var progress = new OrderProgress("USD");
        progress.Substitutions["MUG"] = "MUG-DELUXE";

        Assert.Equal("MUG", progress.OrderSku("MUG-DELUXE"));
        Assert.Equal("CAP", progress.OrderSku("CAP"));
    }

    [Fact]
    public void CancelUnits_OfASubstitute_AddToTheOrderedSku()
    {
        var progress = new OrderProgress("USD");
        progress.Substitutions["MUG"] = "MUG-DELUXE";
        progress.CancelledUnits["MUG"] = 1;

        progress.CancelUnits("MUG-DELUXE", 2);

        Assert.Equal(3, progress.CancelledUnits["MUG"]);
    }

    [Fact]
    public void ResetReservation_AfterAnAttempt_KeepsOnlyTheLinesCancelledEarly()
    {
        var progress = new OrderProgress("USD");
        progress.Reservations.Add(new ReservationOutcome("MUG", true, 2, 0, [new StockAllocation("east", 2)]));
        progress.Substitutions["CAP"] = "CAP-XL";
        progress.Backorders["MUG"] = 1;
        progress.CancelledUnits["PEN"] = 4;
        progress.LinesCancelledEarly["INK"] = 1;

        progress.ResetReservation();

        Assert.Empty(progress.Reservations);
        Assert.Empty(progress.Substitutions);
        Assert.Empty(progress.Backorders);
        Assert.Equal(new Dictionary<string, int> { ["INK"] = 1 }, progress.CancelledUnits);
    }

    [Fact]
    public void TakeFulfillmentNumbers_TwoWaves_NumbersFollowOnWithoutGaps()
    {
        var progress = new OrderProgress("USD");

        Assert.Equal(1, progress.TakeFulfillmentNumbers(2));
        Assert.Equal(3, progress.TakeFulfillmentNumbers(1));
        Assert.Equal(4, progress.NextFulfillment);
    }

    [Fact]
    public void NotShippedUnits_PartialShipment_AreTheUnshippedLinesThenTheCancelledUnits()
    {
        var progress = new OrderProgress("USD");
        progress.Substitutions["MUG"] = "MUG-DELUXE";
        var f1 = Plan("F1", ("CAP", 1));
        var f2 = Plan("F2", ("MUG-DELUXE", 2));
        progress.AllPlans.AddRange([f1, f2]);
        progress.CancelledUnits["PEN"] = 3;

        var unshipped = progress.Unshipped([f1]);

        Assert.Equal([f2], unshipped);
        Assert.Equal([("MUG", 2), ("PEN", 3)], progress.NotShippedUnits(unshipped));
        Assert.False(progress.IsComplete(unshipped));
    }

    [Fact]
    public void IsComplete_EverythingShippedAndNothingCancelled_IsTrue()
    {
        var progress = new OrderProgress("USD");
        var f1 = Plan("F1", ("CAP", 1));
        progress.AllPlans.Add(f1);

        var unshipped = progress.Unshipped([f1]);

        Assert.Empty(unshipped);
        Assert.True(progress.IsComplete(unshipped));
        Assert.Empty(progress.NotShippedUnits(unshipped));
        Assert.Equal(Money.Zero("USD"), progress.CapturedSoFar);
    }
}
