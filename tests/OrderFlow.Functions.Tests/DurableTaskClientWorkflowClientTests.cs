using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Tests;

public sealed class DurableTaskClientWorkflowClientTests
{
    private static readonly DateTimeOffset Updated = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly Mock<DurableTaskClient> client = new("test");

    private DurableTaskClientWorkflowClient Workflows => new(client.Object);

    [Fact]
    public async Task StartAsync_NewInstanceId_SchedulesUnderThatIdAndReturnsTrue()
    {
        StartOrchestrationOptions? used = null;
        client.Setup(c => c.GetInstanceAsync("shopify-1", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, _, options, _) => used = options)
            .ReturnsAsync("shopify-1");

        var started = await Workflows.StartAsync("OrderOrchestrator", "shopify-1", new { OrderId = "shopify-1" });

        Assert.True(started);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("OrderOrchestrator"), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("shopify-1", used?.InstanceId);
        // Every status is a duplicate: a backend that honours the reuse policy never restarts a finished order.
        Assert.Equal(
            StartOrchestrationOptionsExtensions.ValidDedupeStatuses.Select(s => s.ToString()).Order(StringComparer.Ordinal),
            used!.DedupeStatuses!.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    public async Task StartAsync_InstanceExists_ReturnsFalseWithoutScheduling(OrchestrationRuntimeStatus status)
    {
        client.Setup(c => c.GetInstanceAsync("shopify-1", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("OrderOrchestrator", "shopify-1") { RuntimeStatus = status });

        var started = await Workflows.StartAsync("OrderOrchestrator", "shopify-1", new object());

        Assert.False(started);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task StartAsync_ConcurrentStartWins_ReturnsFalse()
    {
        client.Setup(c => c.GetInstanceAsync("shopify-1", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An Orchestration instance with the ID shopify-1 already exists."));

        Assert.False(await Workflows.StartAsync("OrderOrchestrator", "shopify-1", new object()));
    }

    [Fact]
    public async Task GetStatusAsync_ExistingInstance_MapsMetadata()
    {
        client.Setup(c => c.GetInstanceAsync("shopify-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("OrderOrchestrator", "shopify-1")
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Completed,
                SerializedCustomStatus = "\"shipped\"",
                SerializedOutput = "{\"status\":\"Fulfilled\"}",
                LastUpdatedAt = Updated,
            });

        var status = await Workflows.GetStatusAsync("shopify-1");

        Assert.NotNull(status);
        Assert.Equal("shopify-1", status.InstanceId);
        Assert.Equal("Completed", status.RuntimeStatus);
        Assert.True(status.IsTerminal);
        Assert.Equal("\"shipped\"", status.CustomStatus);
        Assert.Equal("{\"status\":\"Fulfilled\"}", status.Output);
        Assert.Equal(Updated, status.LastUpdated);
    }

    [Fact]
    public async Task GetStatusAsync_UnknownInstance_ReturnsNull()
    {
        client.Setup(c => c.GetInstanceAsync("nope", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        Assert.Null(await Workflows.GetStatusAsync("nope"));
    }

    [Fact]
    public async Task WaitForCompletionAsync_Completes_ReturnsFinalStatusWithOutput()
    {
        client.Setup(c => c.WaitForInstanceCompletionAsync("stock-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("StockQueryOrchestrator", "stock-1")
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Completed,
                SerializedOutput = "{\"sku\":\"A\"}",
                LastUpdatedAt = Updated,
            });

        var status = await Workflows.WaitForCompletionAsync("stock-1", TimeSpan.FromSeconds(5));

        Assert.Equal("Completed", status?.RuntimeStatus);
        Assert.Equal("{\"sku\":\"A\"}", status?.Output);
    }

    [Fact]
    public async Task WaitForCompletionAsync_TimeoutPasses_ReturnsCurrentStatus()
    {
        client.Setup(c => c.WaitForInstanceCompletionAsync("stock-1", true, It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>(async (_, _, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            });
        client.Setup(c => c.GetInstanceAsync("stock-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("StockQueryOrchestrator", "stock-1") { RuntimeStatus = OrchestrationRuntimeStatus.Running });

        var status = await Workflows.WaitForCompletionAsync("stock-1", TimeSpan.FromMilliseconds(50));

        Assert.Equal("Running", status?.RuntimeStatus);
        Assert.False(status?.IsTerminal);
    }

    [Fact]
    public async Task WaitForCompletionAsync_CallerCancels_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        client.Setup(c => c.WaitForInstanceCompletionAsync("stock-1", true, It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>((_, _, token) => Task.FromCanceled<OrchestrationMetadata>(token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Workflows.WaitForCompletionAsync("stock-1", TimeSpan.FromMinutes(1), cancelled.Token));
    }

    [Fact]
    public async Task RaiseEventAsync_PassesEventThrough()
    {
        var payload = new { Shipped = true };
        client.Setup(c => c.RaiseEventAsync("shopify-1", "FulfillmentConfirmed", payload, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask).Verifiable();

        await Workflows.RaiseEventAsync("shopify-1", "FulfillmentConfirmed", payload);

        client.Verify();
    }
}
