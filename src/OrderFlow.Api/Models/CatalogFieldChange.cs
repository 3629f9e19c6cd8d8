namespace OrderFlow.Api.Models;

/// <summary>A catalog field an import changes (named as in the CSV header), from its current value to the file's.</summary>
public sealed record CatalogFieldChange(string Field, string? From, string? To);
