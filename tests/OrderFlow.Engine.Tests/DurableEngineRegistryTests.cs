using OrderFlow.Engine;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

public sealed class DurableEngineRegistryTests
{
    [Fact]
    public void Add_ClassBasedTasks_NamesThemByClassNameAndEntitiesLowerCased()
    {
        var registry = new DurableEngineRegistry()
            .AddOrchestrator<GreetingOrchestrator>()
            .AddActivity<GreetingActivity>()
            .AddEntity<CounterEntity>();

        Assert.Equal(typeof(GreetingOrchestrator), registry.Orchestrators[nameof(GreetingOrchestrator)]);
        Assert.Equal(typeof(GreetingActivity), registry.Activities[nameof(GreetingActivity)]);
        Assert.Equal(typeof(CounterEntity), registry.Entities["counterentity"]);
    }

    [Fact]
    public void Add_SameNameTwice_Throws()
    {
        var registry = new DurableEngineRegistry().AddActivity<GreetingActivity>();

        Assert.Throws<InvalidOperationException>(() => registry.AddActivity(typeof(FailingActivity), nameof(GreetingActivity)));
    }

    [Fact]
    public void Add_TypeOfWrongKind_Throws()
    {
        var registry = new DurableEngineRegistry();

        Assert.Throws<ArgumentException>(() => registry.AddActivity(typeof(GreetingOrchestrator)));
        Assert.Throws<ArgumentException>(() => registry.AddEntity(typeof(string)));
    }
}
