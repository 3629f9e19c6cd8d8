namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Keys of the two <see cref="CounterEntity"/> instances one critical section covers.</summary>
public sealed record CounterPair(string FirstKey, string SecondKey);
