namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>A service injected into <see cref="GreetingActivity"/>, so the test can see DI at work.</summary>
public sealed class GreetingFormatter(string salutation)
{
    public string Format(string name) => $"{salutation}, {name}!";
}
