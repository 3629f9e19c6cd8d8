using Microsoft.Extensions.Logging;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// A step an activity carries for the workflow from order revision 19 (<see cref="Contracts.OrderWorkflowVersions.StepsCarriedTogether"/>):
/// the first validation round on <see cref="RecordOrderActivity"/>, the OrderConfirmed email and the fraud screening on
/// <see cref="VerifyPaymentActivity"/>, the sale's posting on <see cref="CapturePaymentActivity"/>. It is best effort: a
/// failure (anything but a cancellation, which fails the activity so it is retried) never fails the activity carrying
/// it; it is logged with the order id and the error's type only (never its message, which can hold PII) and reported
/// as not done, and the workflow runs the step as its own.
/// </summary>
internal static partial class CarriedStep
{
    /// <summary>Runs <paramref name="run"/>; (true, its result), or (false, default) when it failed.</summary>
    public static async Task<(bool Done, T? Result)> TryAsync<T>(ILogger? logger, string orderId, string step, Func<Task<T>> run)
    {
        try
        {
            return (true, await run());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (logger is not null)
            {
                LogNotDone(logger, orderId, step, ex.GetType().Name);
            }

            return (false, default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: the {Step} carried by another step failed ({Error}); the workflow runs it as its own step")]
    private static partial void LogNotDone(ILogger logger, string orderId, string step, string error);
}
