using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Functions.Durable;
using OrderFlow.Functions.Triggers;

namespace OrderFlow.Functions.Tests;

public sealed class ActivityTriggersTests
{
    [Fact]
    public async Task RunAsync_ActivityFromServices_GetsInstanceIdAndFunctionNameAsContext()
    {
        using var services = new ServiceCollection().AddTransient<EchoContextActivity>().BuildServiceProvider();
        var context = FunctionContexts.For(nameof(EchoContextActivity), services);

        var result = await ActivityTriggers.RunAsync<EchoContextActivity, string, string>("payload", "order-42", context);

        Assert.Equal("EchoContextActivity|order-42|payload", result);
    }

    [Fact]
    public async Task RunAsync_Transient_ResolvesNewActivityPerInvocation()
    {
        using var services = new ServiceCollection().AddTransient<CountingActivity>().BuildServiceProvider();
        var context = FunctionContexts.For(nameof(CountingActivity), services);

        var first = await ActivityTriggers.RunAsync<CountingActivity, string, int>("a", "i", context);
        var second = await ActivityTriggers.RunAsync<CountingActivity, string, int>("b", "i", context);

        Assert.Equal(1, first);
        Assert.Equal(1, second);
    }

    [Fact]
    public void FunctionActivityContext_Values_AreWhatItWasGiven()
    {
        var context = new FunctionActivityContext(new TaskName("BuyLabelActivity"), "shopify-1001");

        Assert.Equal("BuyLabelActivity", context.Name.Name);
        Assert.Equal("shopify-1001", context.InstanceId);
    }

    private sealed class EchoContextActivity : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) =>
            Task.FromResult($"{context.Name.Name}|{context.InstanceId}|{input}");
    }

    private sealed class CountingActivity : TaskActivity<string, int>
    {
        private int calls;

        public override Task<int> RunAsync(TaskActivityContext context, string input) => Task.FromResult(++calls);
    }
}
