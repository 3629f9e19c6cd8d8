using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// How the order and return workflows call out: activities under the store's retry policy, a step that asks a person
/// when an activity still fails, SKU entity calls with a durable backoff, and a wait for an event with a deadline.
/// One per workflow run; deterministic (time comes from the orchestration context).
/// </summary>
public sealed class DurableCalls
{
    /// <summary>A step or wait a person retried more often than this gives up (bounded history).</summary>
    public const int MaxRounds = 10;

    private readonly OrderWorkflowSettings settings;

    public DurableCalls(TaskOrchestrationContext context, OrderWorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        this.Context = context;
        this.settings = settings;
        this.Retry = ActivityRetry.For(settings);
    }

    public TaskOrchestrationContext Context { get; }

    /// <summary>The store's activity retry policy (Workflow:ActivityMaxAttempts, ActivityFirstRetryInterval).</summary>
    public TaskOptions Retry { get; }

    /// <summary>The SKU's inventory entity.</summary>
    public static EntityInstanceId Inventory(string sku) => new(nameof(InventoryEntity), sku);

    /// <summary>An activity under the retry policy only: for the case machinery itself and steps that handle failures.</summary>
    public Task<T> ActivityAsync<T>(string activity, object activityInput) =>
        this.Context.CallActivityAsync<T>(activity, activityInput, this.Retry);

    /// <summary>
    /// An activity under the retry policy; when it still fails, <paramref name="escalate"/> (activity, error) asks a person.
    /// RetryStep runs it again; anything else (and, after <see cref="MaxRounds"/> rounds, Cancel without asking) throws
    /// what <paramref name="giveUp"/> returns for the failure and its error, or the failure itself when that is null.
    /// <paramref name="beforeAttempt"/> runs before each attempt (it may throw to stop the step).
    /// </summary>
    public async Task<T> StepAsync<T>(
        string activity,
        object activityInput,
        Func<string, string, Task<CaseResolution>> escalate,
        Func<string, Exception?> giveUp,
        Action? beforeAttempt = null)
    {
        ArgumentNullException.ThrowIfNull(escalate);
        ArgumentNullException.ThrowIfNull(giveUp);
        for (var round = 1; ; round++)
        {
            beforeAttempt?.Invoke();
            try
            {
                return await this.ActivityAsync<T>(activity, activityInput);
            }
            catch (TaskFailedException ex)
            {
                var error = ex.FailureDetails?.ErrorMessage ?? ex.Message;
                var resolution = round < MaxRounds
                    ? await escalate(activity, error)
                    : CaseResolution.Cancel;
                if (resolution == CaseResolution.RetryStep)
                {
                    continue;
                }

                if (giveUp(error) is { } stop)
                {
                    throw stop;
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Calls the SKU's entity. An operation fails when its ledger write fails (storage unavailable): the entity
    /// rolled it back, so it is simply called again, after a durable backoff, up to the activity attempt budget.
    /// </summary>
    public async Task<T> InventoryAsync<T>(string sku, string operation, object? operationInput)
    {
        var delay = this.settings.ActivityFirstRetryInterval ?? TimeSpan.FromSeconds(5);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await this.Context.Entities.CallEntityAsync<T>(Inventory(sku), operation, operationInput);
            }
            catch (EntityOperationFailedException) when (attempt < this.settings.ActivityMaxAttempts)
            {
                await this.Context.CreateTimer(this.Context.CurrentUtcDateTime.Add(delay), CancellationToken.None);
                delay = delay * 2 > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : delay * 2;
            }
        }
    }

    /// <summary>Waits for an external event or the timeout; null means the deadline passed.</summary>
    public async Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout)
        where T : class
    {
        using var cts = new CancellationTokenSource();
        var deadline = this.Context.CreateTimer(this.Context.CurrentUtcDateTime.Add(timeout), cts.Token);
        var evt = this.Context.WaitForExternalEvent<T>(eventName, cts.Token);
        var winner = await Task.WhenAny(evt, deadline);

        // Synchronous Cancel on purpose: CancelAsync would resume the orchestrator on a thread-pool thread, outside the
        // engine's replay scheduler, and the workflow would silently stop making progress.
        cts.Cancel();
        return winner == evt ? await evt : null;
    }
}
