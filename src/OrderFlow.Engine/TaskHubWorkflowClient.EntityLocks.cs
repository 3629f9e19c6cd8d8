using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine;

/// <summary>
/// Repairs of entity locks the Azure Storage backend can leave behind when a worker dies between sending an entity's
/// messages and saving its state: locks whose holder ended, and a holder whose own request waits behind another's.
/// </summary>
public sealed partial class TaskHubWorkflowClient
{
    /// <summary>
    /// Releases entity locks held by orchestrations that no longer run (completed, failed, terminated, gone): the
    /// backend's entity storage clean-up with <c>ReleaseOrphanedLocks</c>, page by page. A lock can outlive its holder
    /// when a worker dies between sending an entity's messages and saving its state (a redelivered lock request is
    /// granted again after the holder released it); without this the entity serves nobody again. Returns how many
    /// locks were released (0 on a backend without entity storage queries).
    /// </summary>
    public async Task<int> ReleaseOrphanedLocksAsync(CancellationToken cancellationToken = default)
    {
        if (this.serviceClient is not IEntityOrchestrationService { EntityBackendQueries: { } queries })
        {
            return 0;
        }

        var released = 0;
        string? continuation = null;
        do
        {
            EntityBackendQueries.CleanEntityStorageResult result = await queries.CleanEntityStorageAsync(
                new EntityBackendQueries.CleanEntityStorageRequest { ReleaseOrphanedLocks = true, RemoveEmptyEntities = false, ContinuationToken = continuation },
                cancellationToken).ConfigureAwait(false);
            released += result.OrphanedLocksReleased;
            continuation = result.ContinuationToken;
        }
        while (continuation is not null);

        return released;
    }

    /// <summary>
    /// The orchestration holding the entity's lock when that holder's own request waits in the entity's queue behind
    /// another orchestration's: the entity serves only its lock holder and only from the head of its queue, so it never
    /// moves again (a worker killed between an entity's sent messages and its saved state can leave it so). Null when
    /// the entity is not in that state, or its scheduler state cannot be read.
    /// </summary>
    public async Task<string?> FindWedgedLockHolderAsync(EntityInstanceId entityId, CancellationToken cancellationToken = default)
    {
        ValidateEntityId(entityId);
        cancellationToken.ThrowIfCancellationRequested();
        OrchestrationState? state = await this.client.GetOrchestrationStateAsync(ToCoreId(entityId).ToString()).ConfigureAwait(false);
        return state?.Input is { } input ? WedgedHolder(input) : null;
    }

    /// <summary>Waits until no orchestration holds the entity's lock (its scheduler state names no <c>lockedBy</c>).</summary>
    /// <exception cref="TimeoutException">A holder still had the lock after <paramref name="timeout"/>.</exception>
    public async Task WaitForEntityUnlockedAsync(EntityInstanceId entityId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateEntityId(entityId);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            OrchestrationState? state = await this.client.GetOrchestrationStateAsync(ToCoreId(entityId).ToString()).ConfigureAwait(false);
            var holder = state?.Input is { } input ? ReadScheduler(input)?.LockedBy : null;
            if (holder is null)
            {
                return;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Entity '{entityId}' was still locked by '{holder}' after {timeout}.");
            }

            await Task.Delay(left < this.options.StatusPollingInterval ? left : this.options.StatusPollingInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the entity's lock on behalf of <paramref name="holder"/> (as the orphaned-lock clean-up does).</summary>
    public Task ReleaseLockAsync(EntityInstanceId entityId, string holder, CancellationToken cancellationToken = default)
    {
        ValidateEntityId(entityId);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        cancellationToken.ThrowIfCancellationRequested();
        EntityMessageEvent message = ClientEntityHelpers.EmitUnlockForOrphanedLock(
            new OrchestrationInstance { InstanceId = ToCoreId(entityId).ToString() }, holder);
        return this.serviceClient.SendTaskOrchestrationMessageAsync(message.AsTaskMessage());
    }

    /// <summary>Reads an entity's scheduler state (<c>lockedBy</c>, <c>queue[].parent</c>) for <see cref="FindWedgedLockHolderAsync"/>.</summary>
    internal static string? WedgedHolder(string schedulerState) =>
        ReadScheduler(schedulerState) is ({ Length: > 0 } holder, { } parents) && parents.IndexOf(holder) > 0 ? holder : null;

    /// <summary>The lock holder and the parents of the queued requests, in order; null when the state is not a scheduler's.</summary>
    private static (string? LockedBy, List<string?>? Parents)? ReadScheduler(string schedulerState)
    {
        try
        {
            using var doc = JsonDocument.Parse(schedulerState);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var lockedBy = root.TryGetProperty("lockedBy", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            var parents = root.TryGetProperty("queue", out var queue) && queue.ValueKind == JsonValueKind.Array
                ? queue.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("parent", out var p) ? p.GetString() : null).ToList()
                : null;
            return (lockedBy, parents);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
