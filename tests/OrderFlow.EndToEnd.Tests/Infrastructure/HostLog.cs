using System.Diagnostics;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Every line the host processes wrote (stdout and stderr), shared across restarts, for failure reports.</summary>
public sealed class HostLog
{
    private readonly List<string> lines = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Position to pass to <see cref="Since"/> later.</summary>
    public int Mark
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    public void Add(string source, string line)
    {
        lock (lines)
        {
            lines.Add($"{clock.Elapsed.TotalSeconds,7:F2}s {source} | {line}");
        }
    }

    /// <summary>The lines written after <paramref name="mark"/>, at most the last <paramref name="maxLines"/>.</summary>
    public string Since(int mark, int maxLines = 400)
    {
        lock (lines)
        {
            var from = Math.Max(mark, lines.Count - maxLines);
            var skipped = from - mark;
            var text = string.Join(Environment.NewLine, lines.Skip(from));
            return skipped > 0 ? $"({skipped} earlier lines omitted){Environment.NewLine}{text}" : text;
        }
    }
}
