using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Testing.Sidecar;

namespace OrderFlow.Engine;

/// <summary>
/// Entity reads for the in-memory backend. An entity is stored as an instance whose input is the entity's
/// scheduler state (which holds the serialized entity state) and whose custom status is its entity status.
/// </summary>
internal sealed class InMemoryEntityBackendQueries : EntityBackendQueries
{
    private readonly InMemoryOrchestrationService store;

    public InMemoryEntityBackendQueries(InMemoryOrchestrationService store) => this.store = store;

    public override async Task<EntityMetadata?> GetEntityAsync(
        EntityId id, bool includeState = false, bool includeStateless = false, CancellationToken cancellation = default)
    {
        OrchestrationState? state = await this.store.GetOrchestrationStateAsync(id.ToString(), executionId: null).ConfigureAwait(false);
        return ToMetadata(state, includeState, includeStateless);
    }

    public override async Task<EntityQueryResult> QueryEntitiesAsync(EntityQuery filter, CancellationToken cancellation)
    {
        string prefix = string.IsNullOrEmpty(filter.InstanceIdStartsWith) ? "@" : filter.InstanceIdStartsWith;
        if (prefix[0] != '@')
        {
            prefix = "@" + prefix;
        }

        OrchestrationQueryResult page = await this.store.GetOrchestrationWithQueryAsync(
            new OrchestrationQuery
            {
                InstanceIdPrefix = prefix,
                CreatedTimeFrom = filter.LastModifiedFrom,
                CreatedTimeTo = filter.LastModifiedTo,
                PageSize = filter.PageSize ?? 100,
                ContinuationToken = filter.ContinuationToken,
                FetchInputsAndOutputs = true,
            },
            cancellation).ConfigureAwait(false);

        var results = new List<EntityMetadata>();
        foreach (OrchestrationState state in page.OrchestrationState)
        {
            if (ToMetadata(state, filter.IncludeState, filter.IncludeTransient) is { } metadata)
            {
                results.Add(metadata);
            }
        }

        return new EntityQueryResult { Results = results, ContinuationToken = page.ContinuationToken };
    }

    /// <summary>Nothing to clean: this backend keeps no orphaned locks across restarts (it keeps nothing).</summary>
    public override Task<CleanEntityStorageResult> CleanEntityStorageAsync(CleanEntityStorageRequest request = default, CancellationToken cancellation = default)
        => Task.FromResult(default(CleanEntityStorageResult));

    private static EntityMetadata? ToMetadata(OrchestrationState? state, bool includeState, bool includeStateless)
    {
        if (state?.OrchestrationInstance?.InstanceId is not { } instanceId || instanceId.Length == 0 || instanceId[0] != '@')
        {
            return null;
        }

        EntityStatus? status = state.Status is null ? null : ClientEntityHelpers.GetEntityStatus(state.Status);
        bool exists = status?.EntityExists ?? false;
        if (!exists && !includeStateless)
        {
            return null;
        }

        return new EntityMetadata
        {
            EntityId = EntityId.FromString(instanceId),
            LastModifiedTime = state.LastUpdatedTime,
            BacklogQueueSize = status?.BacklogQueueSize ?? 0,
            LockedBy = status?.LockedBy,
            SerializedState = includeState ? ClientEntityHelpers.GetEntityState(state.Input) : null,
        };
    }
}
