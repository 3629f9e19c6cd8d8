using System.Text.Json;

namespace OrderFlow.Functions.Tests;

/// <summary>The repository's local.settings.sample.json (linked next to the test assembly): every setting the app knows.</summary>
internal static class LocalSettingsSample
{
    /// <summary>Setting name (as an app setting, Section__Key) -> placeholder value.</summary>
    public static IReadOnlyDictionary<string, string> Values()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
