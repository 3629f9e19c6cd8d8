using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OrderFlow.Domain.Inventory;
using OrderFlow.Functions.Durable;
using OrderFlow.Functions.Triggers;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// The isolated worker gives a durable client only as a binding: the reservation planning activity's trigger hands its
/// <c>[DurableClient]</c> to the invocation's entity reader, through which the activity reads the SKUs' stock.
/// </summary>
public sealed class PlanReservationTriggerTests
{
    [Fact]
    public async Task PlanReservationActivity_ReadsTheStockThroughTheTriggersDurableClient()
    {
        var entities = new Mock<DurableEntityClient>("test");
        entities.Setup(e => e.GetEntityAsync<SkuInventory>(It.IsAny<EntityInstanceId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityMetadata<SkuInventory>?)null);
        var client = new Mock<DurableTaskClient>("test");
        client.SetupGet(c => c.Entities).Returns(entities.Object);
        using var provider = FunctionsServiceCollectionExtensionsTests.BuildProvider(FunctionsServiceCollectionExtensionsTests.SampleSettings(), configure: services =>
        {
            // The order is not recorded: the activity fails at routing, after its stock read.
            services.AddSingleton(Mock.Of<ICatalog>());
            services.AddSingleton(Mock.Of<IOrderStore>());
        });
        using var invocation = provider.CreateScope();
        var context = FunctionContexts.For(nameof(PlanReservationActivity), invocation.ServiceProvider);
        var request = new PlanReservationRequest("shop-1", ["MUG"], new Dictionary<string, int> { ["MUG"] = 1 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ActivityTriggers.PlanReservationActivity(request, client.Object, "shop-1", context));

        Assert.Equal("Order shop-1 is not recorded.", error.Message);
        entities.Verify(e => e.GetEntityAsync<SkuInventory>(new EntityInstanceId(nameof(InventoryEntity), "MUG"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Same(client.Object, invocation.ServiceProvider.GetRequiredService<InvocationEntityStateReader>().Client);
        Assert.Null(provider.CreateScope().ServiceProvider.GetRequiredService<InvocationEntityStateReader>().Client); // per invocation
    }

    [Fact]
    public async Task InvocationEntityStateReader_WithoutTheTriggersClient_SaysWhatIsMissing()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new InvocationEntityStateReader().ReadAsync<SkuInventory>(nameof(InventoryEntity), "MUG"));

        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }
}
