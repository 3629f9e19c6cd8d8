using System.Text.Json.Serialization;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Marks an order workflow run that replaces one that ended Failed or Terminated (same instance id, so every idempotency
/// key, event route and status page stays the order's): the n-th restart (<see cref="Attempt"/>), the WorkflowFailed
/// case whose decision asked for it, and whether the run cancels the order (<see cref="Cancel"/>) or resumes it from
/// its recorded progress. See <see cref="OrderWorkflowVersions.Restartable"/>.
/// <para>
/// <see cref="StockHeldAt"/>: for each SKU split across shard entities (<see cref="OrderWorkflowVersions.StockSplitAcrossShards"/>),
/// the entity key that held the order's reservation (or its place in the backorder queue) when the restart was asked
/// for, read through the SKU's entities by the restarter, since the ended run's own record of it is lost with its
/// history. The new run reserves there first (getting the hold it has back) and commits, releases or writes off there.
/// Null when no split SKU is held (and on restarts asked for before it was recorded: written only when set).
/// </para>
/// </summary>
public sealed record WorkflowRestart(
    int Attempt,
    string CaseId,
    bool Cancel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? StockHeldAt = null);
