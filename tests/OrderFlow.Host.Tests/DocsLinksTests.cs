using System.Text.RegularExpressions;

namespace OrderFlow.Host.Tests;

/// <summary>
/// The README and docs/ link to each other and to the code by relative paths; a moved file or a renamed heading
/// must not leave a dead link. Checks every relative link of the repository's markdown pages (not node_modules).
/// </summary>
public sealed partial class DocsLinksTests
{
    private static readonly string Root = RepositoryRoot.Path;

    public static TheoryData<string> Pages() =>
    [
        .. new[] { "README.md", "bench/README.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLink_ReachesAFileAndHeading(string page)
    {
        var path = Path.Combine(Root, page);
        var dead = new List<string>();
        foreach (Match m in Link().Matches(File.ReadAllText(path)))
        {
            var target = m.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                dead.Add($"{target} (no such file)");
            }
            else if (anchor is not null && (!resolved.EndsWith(".md", StringComparison.Ordinal) || !Anchors(resolved).Contains(anchor)))
            {
                dead.Add($"{target} (no such heading)");
            }
        }

        Assert.True(dead.Count == 0, $"{page} has dead links: {string.Join("; ", dead)}");
    }

    [Fact]
    public void TheAnchorRule_IsGitHubs()
    {
        Assert.Equal("pick-and-pack-own-warehouses", Anchor("Pick and pack (own warehouses)"));
        Assert.Equal("accounting-quickbooks-online", Anchor("Accounting (QuickBooks Online)"));
        Assert.Equal("hostjson", Anchor("host.json"));
    }

    private static HashSet<string> Anchors(string markdownFile) =>
        File.ReadLines(markdownFile).Select(l => Heading().Match(l)).Where(h => h.Success).Select(h => Anchor(h.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    /// <summary>GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces as '-'.</summary>
    private static string Anchor(string heading) =>
        NotAnchorChar().Replace(heading.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex NotAnchorChar();
}
