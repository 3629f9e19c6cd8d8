using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderFlow.Host.Configuration;
using OrderFlow.Engine;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Host.Tests;

/// <summary>
/// docs/configuration.md stays true to the code: every setting an options class binds has a row in its tables, every
/// key a row names is one the code reads, and every app setting local.settings.sample.json lists is documented.
/// A row's first cell names keys in backticks: a qualified key (`Section:Key`, placeholders such as `{i}`, `{sku}`
/// or `N` for list indexes and dictionary keys) sets the prefix for the bare names after it (`Smtp:Host`, `Port`).
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    /// <summary>Keys read straight from IConfiguration rather than bound to an options class.</summary>
    private static readonly string[] ReadDirectly =
    [
        "Adapters:AllowSandboxInProduction", // SandboxInProduction.AllowKey, checked before any options class binds
        "Storage:TableServiceUri", // the Functions app's IdentityStorageOptions (that project is not referenced here)
        "Storage:QueueServiceUri",
        "Storage:ClientId",
    ];

    private static readonly Documented Doc = Documented.Read();

    public static TheoryData<string> BoundKeys() => [.. OptionKeys().Select(k => k.Display).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    public static TheoryData<string> SampleSettings() => [.. ReadSampleSettings()];

    [Theory]
    [MemberData(nameof(BoundKeys))]
    public void EverySettingTheCodeBinds_HasARow(string key)
    {
        Assert.True(Doc.Covers(key), $"docs/configuration.md has no row naming `{key}`: add it (default, allowed values, what it does).");
    }

    [Fact]
    public void EveryQualifiedKeyARowNames_IsOneTheCodeReads()
    {
        var bound = OptionKeys().Select(k => k.Normalized).Concat(ReadDirectly.Select(Normalize)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var listParents = OptionKeys().Where(k => k.IsScalarList).Select(k => k.Normalized + ":*").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sections = bound.Select(k => k.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.NotEmpty(Doc.Qualified);
        var stale = Doc.Qualified
            .Where(k => sections.Contains(k.Split(':')[0]) && !bound.Contains(k) && !listParents.Contains(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(stale.Count == 0, $"docs/configuration.md names keys no options class binds (stale or misspelt): {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(SampleSettings))]
    public void EveryAppSettingOfTheSample_IsDocumented(string setting)
    {
        var key = setting.Replace("__", ":", StringComparison.Ordinal);
        var documented = key.Contains(':', StringComparison.Ordinal) ? Doc.Covers(key) : Doc.Flat.Contains(key);
        Assert.True(documented, $"local.settings.sample.json lists `{setting}`, which docs/configuration.md does not document.");
    }

    [Fact]
    public void TheParser_ExpandsBareNamesAfterAQualifiedKey()
    {
        var doc = Documented.Parse(["| `Smtp:Host`, `Port`, `Security` (`None`) | x | y |", "| `Routing:Locations:{i}:Id`, `Kind` | x | y |"]);

        Assert.True(doc.Covers("Smtp:Port"));
        Assert.True(doc.Covers("Routing:Locations:3:Kind"));
        Assert.False(doc.Covers("Smtp:Timeout"));
        Assert.DoesNotContain("Smtp:None", doc.Qualified); // only keys written out count as claims that a key exists
    }

    private static IEnumerable<string> ReadSampleSettings()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        return json.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
    }

    /// <summary>The options classes both hosts bind: every OrderFlow type with a <c>Section</c> constant, plus the engine's.</summary>
    private static IEnumerable<BoundKey> OptionKeys()
    {
        var assemblies = new[] { typeof(HostSettings).Assembly, typeof(Api.ApiRoutes).Assembly, typeof(Integrations.Storage.StorageOptions).Assembly, typeof(Workflows.WorkflowRegistry).Assembly };
        var sections = assemblies
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => (Type: x.Type, Section: (string)x.Field!.GetRawConstantValue()!))
            .Append((Type: typeof(DurableEngineOptions), Section: "Engine"));
        return sections.SelectMany(s => Walk(s.Type, s.Section, depth: 0));
    }

    private static IEnumerable<BoundKey> Walk(Type type, string prefix, int depth)
    {
        Assert.True(depth < 6, $"options nesting too deep at {prefix}");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return new BoundKey(key, false);
            }
            else if (DictionaryValue(propertyType) is { } value)
            {
                foreach (var inner in IsScalar(value) ? [new BoundKey(key + ":*", false)] : Walk(value, key + ":*", depth + 1))
                {
                    yield return inner;
                }
            }
            else if (ListElement(propertyType) is { } element)
            {
                foreach (var inner in IsScalar(element) ? [new BoundKey(key, true)] : Walk(element, key + ":*", depth + 1))
                {
                    yield return inner;
                }
            }
            else if (propertyType.IsClass && !propertyType.IsAbstract && propertyType.Namespace?.StartsWith("OrderFlow", StringComparison.Ordinal) == true)
            {
                foreach (var inner in Walk(propertyType, key, depth + 1))
                {
                    yield return inner;
                }
            }

            // Anything else (a data converter, a clock) is set in code, not configuration.
        }
    }

    private static bool IsScalar(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan)
            || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Uri) || t == typeof(Guid) || t == typeof(TimeOnly);
    }

    private static Type? DictionaryValue(Type t) =>
        t.GetInterfaces().Append(t)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)))
            ?.GetGenericArguments()[1];

    private static Type? ListElement(Type t) =>
        t == typeof(string) ? null
        : t.IsArray ? t.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(t) || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            ? t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;

    /// <summary>Placeholders (<c>{i}</c>, <c>{sku}</c>, <c>N</c>) and list indexes become <c>*</c>.</summary>
    private static string Normalize(string key) =>
        string.Join(':', key.Split(':').Select(s => Placeholder().IsMatch(s) ? "*" : s));

    [GeneratedRegex(@"^(\{[^}]*\}|N|\d+|\*)$")]
    private static partial Regex Placeholder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex BareName();

    private sealed record BoundKey(string Display, bool IsScalarList)
    {
        public string Normalized => Normalize(this.Display);
    }

    private sealed class Documented
    {
        private readonly HashSet<string> covered = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Keys written out in a row's first cell (`Section:Key`), normalized.</summary>
        public HashSet<string> Qualified { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Every backticked word of the page (flat app settings such as `WatchdogSchedule`).</summary>
        public HashSet<string> Flat { get; } = new(StringComparer.Ordinal);

        public bool Covers(string key)
        {
            var normalized = Normalize(key);
            return this.covered.Contains(normalized) || this.covered.Contains(normalized + ":*");
        }

        public static Documented Read()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "docs", "configuration.md");
            Assert.True(File.Exists(path), $"{path} not found: docs/configuration.md is linked into the test output.");
            return Parse(File.ReadAllLines(path));
        }

        public static Documented Parse(IEnumerable<string> lines)
        {
            var doc = new Documented();
            foreach (var line in lines)
            {
                foreach (Match m in Backticked().Matches(line))
                {
                    doc.Flat.Add(m.Groups[1].Value);
                }

                if (!line.StartsWith("| `", StringComparison.Ordinal))
                {
                    continue;
                }

                var firstCell = line[1..line.IndexOf('|', 1)];
                string? prefix = null;
                foreach (Match m in Backticked().Matches(firstCell))
                {
                    var token = m.Groups[1].Value.Trim();
                    if (token.Contains(':', StringComparison.Ordinal))
                    {
                        var normalized = Normalize(token);
                        doc.Qualified.Add(normalized);
                        doc.covered.Add(normalized);
                        prefix = normalized[..(normalized.LastIndexOf(':') + 1)];
                    }
                    else if (prefix is not null && BareName().IsMatch(token))
                    {
                        doc.covered.Add(prefix + token);
                    }
                }
            }

            return doc;
        }
    }
}
