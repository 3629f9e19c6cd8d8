using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Emails purchasing about a low-stock crossing (once per alert; the entity already recorded it). Best effort: an email
/// that still fails after its own retries is recorded on the alert row and logged, never thrown, so the stock change or
/// order that crossed the threshold goes on. Returns true when it sent now.
/// </summary>
public sealed partial class NotifyLowStockActivity(IStockAlerts alerts, TimeProvider clock, ILogger<NotifyLowStockActivity> logger)
    : TaskActivity<LowStockAlert, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, LowStockAlert input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sent = false;
        var failure = await BestEffortAlert.TryAsync(async () => sent = await alerts.NotifyAsync(input), clock);
        if (failure is null)
        {
            return sent;
        }

        LogNotifyFailed(input.Sku, input.Sequence, failure);
        try
        {
            await alerts.RecordNotifyFailureAsync(input, $"Purchasing email failed: {failure}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecordFailed(input.Sku, input.Sequence, BestEffortAlert.Describe(ex));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Low-stock alert {Sku}/{Sequence}: purchasing could not be emailed: {Error}")]
    private partial void LogNotifyFailed(string sku, long sequence, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Low-stock alert {Sku}/{Sequence}: the email failure could not be recorded: {Error}")]
    private partial void LogRecordFailed(string sku, long sequence, string error);
}
