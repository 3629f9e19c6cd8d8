using System.Diagnostics;
using System.Text.Json;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Re-reads an observable (an HTTP resource, a table row, a mailbox) until a condition holds or a deadline passes.</summary>
public static class Poll
{
    /// <summary>Generous for a 2-core CI machine; a healthy run needs a fraction of it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:F0} s waiting for {what}. Last observed: {Describe(value)}");
            }

            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (NotSupportedException)
        {
            return value?.ToString() ?? "null";
        }
    }
}
