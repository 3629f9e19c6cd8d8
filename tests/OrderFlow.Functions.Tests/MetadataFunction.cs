namespace OrderFlow.Functions.Tests;

/// <summary>One function as functions.metadata lists it.</summary>
internal sealed record MetadataFunction(string Name, IReadOnlyList<MetadataBinding> Bindings)
{
    public MetadataBinding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));
}
