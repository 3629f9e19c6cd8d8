using Azure.Data.Tables;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Reads the durable engine's own history table ("{task hub}History", one partition per instance). The restart test
/// uses it to know that a workflow (with its child workflows) is durably parked on its waits before it kills the host: a message the killed
/// process had taken off a queue but not finished stays invisible for the queue's visibility timeout (minutes), so
/// killing mid-step would test the timeout, not the restart.
/// </summary>
public sealed class TaskHubHistory(TableServiceClient tables, string taskHubName)
{
    /// <summary>
    /// Timers the instance and its child workflows (ids "{instanceId}:...", e.g. an order's parcels from revision 12)
    /// created that fire later than <paramref name="notBefore"/> (e.g. confirmation deadlines).
    /// </summary>
    public async Task<int> CountTimersFiringAfterAsync(string instanceId, DateTimeOffset notBefore)
    {
        var history = tables.GetTableClient(taskHubName + "History");

        // Child ids sort from "{id}:" up to, not including, "{id};" (';' follows ':').
        var filter = TableClient.CreateQueryFilter(
            $"(PartitionKey eq {instanceId} or (PartitionKey ge {instanceId + ":"} and PartitionKey lt {instanceId + ";"})) and EventType eq {"TimerCreated"}");
        var count = 0;
        await foreach (var e in history.QueryAsync<TableEntity>(filter))
        {
            if (e.GetDateTimeOffset("FireAt") > notBefore)
            {
                count++;
            }
        }

        return count;
    }
}
