using System.ComponentModel.DataAnnotations;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// The watchdog (section "Watchdog"): how often the one-machine host runs it (the Functions app uses WatchdogSchedule),
/// and how long an order may stay in each status before it counts as stuck.
/// </summary>
public sealed class WatchdogOptions : IValidatableObject
{
    public const string Section = "Watchdog";

    /// <summary>Longest threshold a status may have.</summary>
    public static readonly TimeSpan MaxStuckAfter = TimeSpan.FromDays(365);

    /// <summary>Shortest non-zero threshold: below it a normal order would be reported mid-step.</summary>
    public static readonly TimeSpan MinStuckAfter = TimeSpan.FromMinutes(1);

    /// <summary>Statuses that end an order: nothing more is expected, so they have no threshold.</summary>
    private static readonly OrderStatus[] Final = [OrderStatus.Fulfilled, OrderStatus.Cancelled];

    /// <summary>How often the one-machine host's watchdog runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Watchdog:Interval must be between 1 second and 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Per order status (key: the status name), how long an order may keep it before the watchdog opens a Stuck case.
    /// 00:00:00 turns a status off. Backordered and OnHold are off by default: a backorder deadline or an open case
    /// already owns those orders. Configured keys replace the defaults one by one.
    /// </summary>
    public Dictionary<string, TimeSpan> StuckAfter { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(OrderStatus.Received)] = TimeSpan.FromHours(1),
        [nameof(OrderStatus.Validated)] = TimeSpan.FromHours(1),
        [nameof(OrderStatus.PaymentConfirmed)] = TimeSpan.FromHours(1),
        [nameof(OrderStatus.Reserved)] = TimeSpan.FromHours(1),
        [nameof(OrderStatus.InFulfillment)] = TimeSpan.FromDays(7),
        [nameof(OrderStatus.PartiallyFulfilled)] = TimeSpan.FromDays(7),
    };

    /// <summary>Most findings one pass handles per kind (failed workflows; stuck orders per status); the next pass takes the rest.</summary>
    [Range(1, 10_000, ErrorMessage = "Watchdog:MaxPerPass must be between 1 and 10000.")]
    public int MaxPerPass { get; set; } = 500;

    /// <summary>The statuses watched, with their thresholds (zero entries left out).</summary>
    public IReadOnlyList<(OrderStatus Status, TimeSpan After)> Thresholds() =>
        [.. StuckAfter
            .Where(kv => kv.Value > TimeSpan.Zero && Enum.TryParse<OrderStatus>(kv.Key, ignoreCase: true, out _))
            .Select(kv => (Enum.Parse<OrderStatus>(kv.Key, ignoreCase: true), kv.Value))
            .OrderBy(t => t.Item1)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, after) in StuckAfter)
        {
            var name = $"{Section}:{nameof(StuckAfter)}:{key}";
            if (!Enum.TryParse<OrderStatus>(key, ignoreCase: true, out var status) || int.TryParse(key, out _))
            {
                yield return new ValidationResult(
                    $"{name}: '{key}' is not an order status; use one of {string.Join(", ", Enum.GetNames<OrderStatus>().Except(Final.Select(f => f.ToString())))}.",
                    [nameof(StuckAfter)]);
            }
            else if (Final.Contains(status) && after != TimeSpan.Zero)
            {
                yield return new ValidationResult($"{name}: {status} ends an order, so it cannot be stuck; remove the key.", [nameof(StuckAfter)]);
            }
            else if (after != TimeSpan.Zero && (after < MinStuckAfter || after > MaxStuckAfter))
            {
                yield return new ValidationResult(
                    $"{name} must be 00:00:00 (off) or between {MinStuckAfter} and {MaxStuckAfter.TotalDays} days; got {after}.", [nameof(StuckAfter)]);
            }
        }
    }
}
