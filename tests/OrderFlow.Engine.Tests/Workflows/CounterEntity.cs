using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>An integer counter. Get and Set let callers do read-then-write, which only a lock makes safe.</summary>
public sealed class CounterEntity : TaskEntity<int>
{
    public void Add(int amount) => this.State += amount;

    public void Set(int value) => this.State = value;

    public int Get() => this.State;
}
