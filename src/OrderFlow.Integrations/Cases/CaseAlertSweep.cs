using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Cases;

/// <summary>
/// The alert half of the case sweeper: every open case whose approvers were never alerted (the alert failed while mail
/// was down, or the opening step stopped after writing the case) is alerted again, once, when the channel is back.
/// One attempt per case per pass; after <see cref="MaxConsecutiveFailures"/> failures in a row the pass stops (the
/// channel is still down) and the next pass starts with the cases tried longest ago.
/// </summary>
public sealed partial class CaseAlertSweep(ICaseReader cases, IExceptionQueue queue, TimeProvider clock, ILogger<CaseAlertSweep> logger)
{
    /// <summary>A case this young is left to the step that opened it (which tries three times itself).</summary>
    public static readonly TimeSpan AlertAfter = TimeSpan.FromMinutes(1);

    public const int MaxConsecutiveFailures = 3;

    /// <summary>Alerts every open, never-alerted case opened more than <see cref="AlertAfter"/> ago; returns how many went out.</summary>
    public async Task<int> ResendAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var failuresInARow = 0;
        foreach (var c in await cases.ListUnalertedAsync(clock.GetUtcNow() - AlertAfter, cancellationToken))
        {
            try
            {
                await queue.AlertAsync(c.CaseId, cancellationToken);
                sent++;
                failuresInARow = 0;
                LogAlertSent(c.OrderId, c.CaseId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = BestEffortAlert.Describe(ex);
                LogAlertFailed(c.OrderId, c.CaseId, error);
                try
                {
                    await queue.RecordAlertFailureAsync(c.CaseId, $"Approver alert failed: {error}", cancellationToken);
                }
                catch (Exception recordError) when (recordError is not OperationCanceledException)
                {
                    LogRecordFailed(c.CaseId, BestEffortAlert.Describe(recordError));
                }

                if (++failuresInARow >= MaxConsecutiveFailures)
                {
                    LogPassStopped(failuresInARow);
                    break;
                }
            }
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} alerted by the case sweeper (its first alert had not gone out)")]
    private partial void LogAlertSent(string orderId, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: case {CaseId} still not alerted: {Error}")]
    private partial void LogAlertFailed(string orderId, string caseId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Case {CaseId}: the alert failure could not be recorded on the case: {Error}")]
    private partial void LogRecordFailed(string caseId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case alert sweep stopped after {Failures} failures in a row; the next pass tries again")]
    private partial void LogPassStopped(int failures);
}
