using Microsoft.DurableTask;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// The one way money goes back: each round asks the provider under that round's idempotency key; a refusal (or an
/// error after the retries) goes to a person, whose RetryStep asks again under the next key and anything else gives up.
/// Bounded by <see cref="DurableCalls.MaxRounds"/>. <see cref="RefundOrchestrator"/> runs it; the order and return
/// workflows of earlier revisions run it inline, with the case plumbing they had.
/// </summary>
public static class RefundRounds
{
    /// <param name="key">The idempotency key of a round (1-based).</param>
    /// <param name="attempt">Asks the provider under a key: its answer, and what a person is told when it refused.</param>
    /// <param name="escalate">Opens a RefundFailed case with the error and returns the person's (or the deadline's) resolution.</param>
    public static async Task<RefundOutcome> RunAsync(
        Func<int, string> key,
        Func<string, Task<(RefundResult Result, string Error)>> attempt,
        Func<string, Task<CaseResolution>> escalate)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(escalate);
        var last = key(1);
        for (var round = 1; round <= DurableCalls.MaxRounds; round++)
        {
            last = key(round);
            var (result, error) = await attempt(last);
            if (result.Succeeded || await escalate(error) != CaseResolution.RetryStep)
            {
                return new RefundOutcome(result, last);
            }
        }

        return new RefundOutcome(null, last);
    }

    /// <summary>
    /// Asks the provider once (under the retry policy). An error that outlasts the retries (provider down, timeout) is
    /// answered like a refusal: the customer is owed the money, so a person decides; the workflow does not fail with the
    /// refund unpaid.
    /// </summary>
    public static async Task<(RefundResult Result, string Error)> AskProviderAsync(DurableCalls calls, RefundPaymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var result = await calls.ActivityAsync<RefundResult>(nameof(RefundPaymentActivity), request);
            return (result, $"Refund of {request.Amount} refused: {result.FailureReason}");
        }
        catch (TaskFailedException ex)
        {
            var failure = ex.FailureDetails?.ErrorMessage ?? ex.Message;
            return (new RefundResult(false, request.Amount, null, failure), $"Refund of {request.Amount} failed: {failure}");
        }
    }
}
