using System.Text.RegularExpressions;
using OrderFlow.Api;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// docs/security.md stays true: every route the API maps (both hosts map the same table) has a row in its route table
/// with every column filled, and every row names a route that exists.
/// </summary>
public sealed partial class ThreatModelTests
{
    private const int Columns = 6;

    private static readonly IReadOnlyDictionary<string, string[]> Rows = ReadRows();

    public static TheoryData<string> MappedRoutes() => [.. MappedRouteKeys()];

    [Theory]
    [MemberData(nameof(MappedRoutes))]
    public void MappedRoute_HasAThreatModelRowWithEveryColumnFilled(string route)
    {
        Assert.True(Rows.TryGetValue(route, out var cells), $"docs/security.md has no row for `{route}`: add one (who may call it, how it is authenticated, replay window, what it stores, kept for).");
        Assert.Equal(Columns, cells.Length);
        Assert.All(cells, c => Assert.False(string.IsNullOrWhiteSpace(c), $"`{route}` has an empty column in docs/security.md."));
    }

    [Fact]
    public void ThreatModelRows_NameOnlyMappedRoutes()
    {
        var mapped = MappedRouteKeys().ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(Rows);
        Assert.All(Rows.Keys, row => Assert.True(mapped.Contains(row), $"docs/security.md lists `{row}`, which no host maps."));
    }

    [Fact]
    public void ThreatModel_NamesTheMechanismOfEveryAuthenticatedChannelRoute()
    {
        // The rows of routes anyone on the internet can reach say what stops them.
        Assert.Contains("X-Shopify-Hmac-Sha256", Rows[Key("POST", ApiRoutes.ShopifyOrdersCreate)][2], StringComparison.Ordinal);
        Assert.Contains("X-Operator-Key", Rows[Key("GET", ApiRoutes.Order)][2], StringComparison.Ordinal);
        Assert.Contains("sig", Rows[Key("GET", ApiRoutes.OrderStatusPage)][2], StringComparison.Ordinal);
        Assert.Contains("own secret", Rows[Key("POST", ApiRoutes.FulfillmentEvents)][2], StringComparison.Ordinal);
    }

    private static IEnumerable<string> MappedRouteKeys() =>
        FunctionsApp.ApiEndpoints().SelectMany(e => e.Methods.Select(m => Key(m, e.Route))).Distinct().Order(StringComparer.Ordinal);

    private static string Key(string method, string route) => $"{method} /{ApiRoutes.Prefix}/{route}";

    private static Dictionary<string, string[]> ReadRows()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "docs", "security.md");
        Assert.True(File.Exists(path), $"{path} not found: docs/security.md is linked into the test output.");
        return File.ReadLines(path)
            .Select(line => RouteRow().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => $"{m.Groups["method"].Value} {m.Groups["path"].Value}",
                m => m.Groups["rest"].Value.TrimEnd().TrimEnd('|').Split('|').Select(c => c.Trim()).Prepend(m.Groups["method"].Value).ToArray(),
                StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\| `(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/[^`]+)` \|(?<rest>.*)$")]
    private static partial Regex RouteRow();
}
