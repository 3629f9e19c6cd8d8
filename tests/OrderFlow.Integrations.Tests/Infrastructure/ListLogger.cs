using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Keeps every formatted message and structured value so tests can assert what was (not) logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Entries { get; } = new();

    /// <summary>The same entries as level and formatted message.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message)> Records { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        var message = formatter(state, exception);
        Entries.Enqueue($"{logLevel}: {message} | {values}");
        Records.Enqueue((logLevel, message));
    }
}
