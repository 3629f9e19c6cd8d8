using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Tests;

public class OrderStatusMachineTests
{
    [Theory]
    [InlineData(OrderStatus.Received, OrderStatus.Validated)]
    [InlineData(OrderStatus.Reserved, OrderStatus.InFulfillment)]
    [InlineData(OrderStatus.InFulfillment, OrderStatus.Fulfilled)]
    [InlineData(OrderStatus.OnHold, OrderStatus.Cancelled)]
    public void Transition_Allowed_ReturnsTarget(OrderStatus from, OrderStatus to) =>
        Assert.Equal(to, OrderStatusMachine.Transition(from, to));

    [Theory]
    [InlineData(OrderStatus.Received, OrderStatus.Fulfilled)]
    [InlineData(OrderStatus.Fulfilled, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Validated)]
    [InlineData(OrderStatus.Validated, OrderStatus.InFulfillment)]
    public void Transition_NotAllowed_Throws(OrderStatus from, OrderStatus to)
    {
        var ex = Assert.Throws<InvalidOrderTransitionException>(() => OrderStatusMachine.Transition(from, to));
        Assert.Equal(from, ex.From);
        Assert.Equal(to, ex.To);
    }

    [Fact]
    public void Terminal_StatusesHaveNoExit()
    {
        Assert.True(OrderStatusMachine.IsTerminal(OrderStatus.Fulfilled));
        Assert.True(OrderStatusMachine.IsTerminal(OrderStatus.Cancelled));
        Assert.False(OrderStatusMachine.IsTerminal(OrderStatus.OnHold));
    }

    [Fact]
    public void EveryStatus_HasADeclaredRow() =>
        Assert.All(Enum.GetValues<OrderStatus>(), s => Assert.NotNull(OrderStatusMachine.NextFrom(s)));
}
