namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Test classes that share one host process; they run one after another, each with its own orders.</summary>
[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<OrderFlowHostFixture>
{
    public const string Name = "Shared OrderFlow host";
}
