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
    internal static string? WedgedHolder(string schedulerState)
    {
        try
        {
            using var doc = JsonDocument.Parse(schedulerState);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("lockedBy", out var lockedBy) || lockedBy.GetString() is not { Length: > 0 } holder
                || !root.TryGetProperty("queue", out var queue) || queue.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parents = queue.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("parent", out var p) ? p.GetString() : null)
                .ToList();
            return parents.IndexOf(holder) > 0 ? holder : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
