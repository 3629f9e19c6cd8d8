namespace OrderFlow.Host.Tests;

/// <summary>
/// A newcomer reads a source file in one sitting: no file under src/ grows past 400 lines unless its header says why
/// ("Longer than 400 lines on purpose: ...").
/// </summary>
public sealed class SourceSizeTests
{
    private const int MaxLines = 400;
    private const string Reason = "Longer than 400 lines on purpose:";

    [Fact]
    public void EverySourceFileOver400Lines_SaysWhyInItsHeader()
    {
        var root = RepositoryRoot.Path;
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var unexplained = files
            .Select(p => (Path: Path.GetRelativePath(root, p), Lines: File.ReadAllLines(p)))
            .Where(f => f.Lines.Length > MaxLines && !f.Lines.Take(60).Any(l => l.Contains(Reason, StringComparison.Ordinal)))
            .Select(f => $"{f.Path} ({f.Lines.Length} lines)")
            .ToList();

        Assert.True(files.Count > 100, "the source tree was not found");
        Assert.True(unexplained.Count == 0, $"split these files, or say in their header why they are long (\"{Reason} ...\"): {string.Join(", ", unexplained)}");
    }
}
