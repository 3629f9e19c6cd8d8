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
}
