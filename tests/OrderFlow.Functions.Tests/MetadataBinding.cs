namespace OrderFlow.Functions.Tests;

/// <summary>One binding of a function in functions.metadata (methods upper-cased and sorted).</summary>
internal sealed record MetadataBinding(string Name, string Type, string Direction, string? Route, IReadOnlyList<string> Methods, string? Schedule = null);
