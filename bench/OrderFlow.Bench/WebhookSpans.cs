using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OrderFlow.Bench;

/// <summary>
/// Stopwatch spans of what the webhook route awaits: the host's ports (<see cref="Decorate{T}"/>) are wrapped so each
/// call made while an HTTP request runs is timed under "Port.Method", and a middleware times the whole request on the
/// server. Calls made outside a request (the workflows' activities) are not counted.
/// </summary>
public sealed class WebhookSpans
{
    private static readonly AsyncLocal<List<(string Name, double Millis)>?> Current = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> spans = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> requests = [];
    private volatile bool recording;

    /// <summary>Starts counting (the warm-up deliveries are not counted).</summary>
    public void Start() => this.recording = true;

    /// <summary>Replaces the registration of <typeparamref name="T"/> with a timing proxy over the original.</summary>
    public static void Decorate<T>(IServiceCollection services)
        where T : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered.");
        services.Remove(original);
        services.AddSingleton(sp =>
        {
            var inner = original.ImplementationInstance as T
                ?? original.ImplementationFactory?.Invoke(sp) as T
                ?? (T)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            return SpanProxy<T>.Wrap(inner);
        });
    }

    /// <summary>Times each request on the server and collects the port calls it made.</summary>
    public void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var list = new List<(string, double)>();
            Current.Value = list;
            var began = Stopwatch.GetTimestamp();
            await next(context);
            var total = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            Current.Value = null;
            if (!this.recording)
            {
                return;
            }

            this.requests.Add(total);
            lock (list)
            {
                foreach (var (name, millis) in list)
                {
                    this.spans.GetOrAdd(name, _ => []).Add(millis);
                }
            }
        });
    }

    /// <summary>One line per awaited call: calls per request and their p50/p99, then the server-side request time.</summary>
    public void Print(TextWriter output)
    {
        var count = this.requests.Count;
        if (count == 0)
        {
            return;
        }

        output.WriteLine(FormattableString.Invariant($"          server side, per request: {Percentiles.Format(this.requests)} (ASP.NET Core pipeline to the end of the handler)"));
        foreach (var (name, values) in this.spans.OrderByDescending(s => s.Value.Sum()))
        {
            output.WriteLine(FormattableString.Invariant(
                $"          awaited {name,-52} {values.Count / (double)count,5:F2} per request  {Percentiles.Format(values)}"));
        }
    }

    private static void Record(string name, double millis)
    {
        if (Current.Value is { } list)
        {
            lock (list)
            {
                list.Add((name, millis));
            }
        }
    }

    /// <summary>Times every method of <typeparamref name="T"/>; a task's span ends when the task does.</summary>
    public class SpanProxy<T> : DispatchProxy
        where T : class
    {
        private T inner = null!;

        public static T Wrap(T inner)
        {
            var proxy = Create<T, SpanProxy<T>>();
            ((SpanProxy<T>)(object)proxy).inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var name = string.Create(CultureInfo.InvariantCulture, $"{typeof(T).Name}.{targetMethod.Name}");
            var began = Stopwatch.GetTimestamp();
            object? result;
            try
            {
                result = targetMethod.Invoke(this.inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                Record(name, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            if (result is Task task && Current.Value is { } list)
            {
                _ = task.ContinueWith(
                    _ =>
                    {
                        lock (list)
                        {
                            list.Add((name, Stopwatch.GetElapsedTime(began).TotalMilliseconds));
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            else
            {
                Record(name, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            }

            return result;
        }
    }
}
