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
