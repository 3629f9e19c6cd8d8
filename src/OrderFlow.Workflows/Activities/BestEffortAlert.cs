using System.Text.RegularExpressions;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Alerts to people (approvers, the escalation tier, purchasing) are best effort: a few quick attempts inside the
/// activity, then the failure is returned as text for the record, never thrown, so a dead mail server cannot fail the
/// workflow that raised the alert.
/// </summary>
public static partial class BestEffortAlert
{
    /// <summary>Attempts per alert; the wait between them starts at <see cref="FirstRetryDelay"/> and doubles.</summary>
    public const int Attempts = 3;

    /// <summary>Recorded error texts are cut to this length.</summary>
    public const int MaxErrorChars = 500;

    public static TimeSpan FirstRetryDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="send"/> up to <see cref="Attempts"/> times; null when it succeeded, else why it failed last.</summary>
    public static async Task<string?> TryAsync(Func<Task> send, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(clock);
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send();
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= Attempts)
                {
                    return Describe(ex);
                }
            }

            await Task.Delay(delay, clock, cancellationToken);
            delay *= 2;
        }
    }

    /// <summary>
    /// The exception as text for a case or alert row and the log: its type and message, with anything shaped like an
    /// email address masked (mail servers quote recipients), cut to <see cref="MaxErrorChars"/>.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Redact($"{exception.GetType().Name}: {exception.Message}");
    }

    /// <summary>Error text for a record: anything shaped like an email address masked, cut to <see cref="MaxErrorChars"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = EmailAddress().Replace(text, "[address]");
        return masked.Length > MaxErrorChars ? masked[..MaxErrorChars] : masked;
    }

    [GeneratedRegex(@"[^\s<>()""',;:]+@[^\s<>()""',;:]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();
}
