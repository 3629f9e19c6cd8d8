using Microsoft.Extensions.Configuration;
using OrderFlow.Engine;

namespace OrderFlow.Engine.Tests;

public sealed class DurableEngineOptionsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("1orders")]
    [InlineData("order-flow")]
    [InlineData("a234567890123456789012345678901234567890123456")]
    public void Validate_BadTaskHubName_ThrowsNamingTheSetting(string name)
    {
        var options = new DurableEngineOptions { TaskHubName = name };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(nameof(DurableEngineOptions.TaskHubName), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        new DurableEngineOptions().Validate();
        new DurableEngineOptions { Backend = DurableEngineBackend.AzureStorage, TaskHubName = "OrderFlow2" }.Validate();
    }

    [Fact]
    public void Validate_VisibilityTimeoutUnderTenSeconds_ThrowsNamingTheSetting()
    {
        var options = new DurableEngineOptions { Backend = DurableEngineBackend.AzureStorage, WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(5) };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(nameof(DurableEngineOptions.WorkItemQueueVisibilityTimeout), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_VisibilityTimeouts_ReadFromTheEngineSection_AndLibraryDefaultsWhenAbsent()
    {
        var configured = new DurableEngineOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlQueueVisibilityTimeout"] = "00:00:15",
            ["WorkItemQueueVisibilityTimeout"] = "00:00:20",
        }).Build().Bind(configured);

        Assert.Equal(TimeSpan.FromSeconds(15), configured.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), configured.WorkItemQueueVisibilityTimeout);
        configured.Validate();
        Assert.Null(new DurableEngineOptions().ControlQueueVisibilityTimeout);
        Assert.Null(new DurableEngineOptions().WorkItemQueueVisibilityTimeout);
    }

    [Theory]
    [InlineData(0, 256, nameof(DurableEngineOptions.ControlQueueBatchSize))]
    [InlineData(33, 256, nameof(DurableEngineOptions.ControlQueueBatchSize))]
    [InlineData(32, 0, nameof(DurableEngineOptions.ControlQueueBufferThreshold))]
    [InlineData(32, 1001, nameof(DurableEngineOptions.ControlQueueBufferThreshold))]
    public void Validate_ControlQueueSettingOutOfRange_ThrowsNamingTheSetting(int batch, int buffer, string setting)
    {
        var options = new DurableEngineOptions
        {
            Backend = DurableEngineBackend.AzureStorage,
            ControlQueueBatchSize = batch,
            ControlQueueBufferThreshold = buffer,
        };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
