using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderFlow.Soak;

/// <summary>
/// When an invariant failed: the durable engine's warnings and errors in the host log, grouped by kind (instance ids,
/// message ids and numbers other than the control queue's blanked), with counts and first/last time, and the watchdog's last pass: what a CI log needs
/// to tell an engine stall (a task hub partition nobody reads, a dequeue loop failing) from a product defect.
/// </summary>
public static partial class HostLogDigest
{
    private const int MaxKinds = 12;
    private const int MaxChars = 170;

    public static void Print(string hostLog)
    {
        if (!File.Exists(hostLog))
        {
            return;
        }

        var lines = File.ReadAllLines(hostLog);
        var kinds = new Dictionary<string, (int Count, string First, string Last)>(StringComparer.Ordinal);
        string? lastWatchdog = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var header = Header().Match(lines[i]);
            if (!header.Success)
            {
                continue;
            }

            var message = i + 1 < lines.Length ? lines[i + 1].Trim() : string.Empty;
            if (header.Groups["category"].Value.StartsWith("OrderFlow.Host.Watchdog", StringComparison.Ordinal) || message.StartsWith("Watchdog:", StringComparison.Ordinal))
            {
                lastWatchdog = $"{header.Groups["time"].Value} {message}";
            }

            if (header.Groups["level"].Value is not ("warn" or "fail" or "crit") || !header.Groups["category"].Value.StartsWith("DurableTask", StringComparison.Ordinal))
            {
                continue;
            }

            var kind = $"{header.Groups["level"].Value} {header.Groups["category"].Value}: {Blank(message)}";
            kind = kind.Length > MaxChars ? kind[..MaxChars] + "..." : kind;
            var time = header.Groups["time"].Value;
            kinds[kind] = kinds.TryGetValue(kind, out var seen) ? (seen.Count + 1, seen.First, time) : (1, time, time);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host log: {kinds.Sum(k => k.Value.Count)} engine warnings/errors of {kinds.Count} kinds; the most frequent:"));
        foreach (var (kind, seen) in kinds.OrderByDescending(k => k.Value.Count).Take(MaxKinds))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {seen.Count,5} x {seen.First}-{seen.Last} {kind}"));
        }

        Console.WriteLine($"host log: last watchdog pass: {lastWatchdog ?? "none logged"}");
    }

    private static string Blank(string message) => Numbers().Replace(Ids().Replace(message, "<id>"), "#");

    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d\.\d+) (?<level>\w+): (?<category>[\w.]+)\[")]
    private static partial Regex Header();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|shopify-\d+|woo-\d+|@\w+@[\w~-]+", RegexOptions.IgnoreCase)]
    private static partial Regex Ids();

    [GeneratedRegex(@"(?<!control-\d*)\d+")]
    private static partial Regex Numbers();
}
