using DurableTask.Core;
using DurableTask.Core.Query;
using OrderFlow.Engine;

namespace OrderFlow.Workflows.Tests.Replay;

/// <summary>
/// Writes the histories of the finished order and return workflows of an Azure Storage engine (the in-memory one keeps
/// no readable history) into the folder named by
/// <c>ORDERFLOW_RECORD_HISTORIES</c>; the workflow tests then serve as the scenarios of <see cref="ReplayGoldenTests"/>.
/// Does nothing unless that variable is set.
/// </summary>
public static class HistoryRecorder
{
    public const string Variable = "ORDERFLOW_RECORD_HISTORIES";

    private static readonly string[] Recorded = ["OrderOrchestrator", "ReturnOrchestrator", "RefundOrchestrator", "FulfillmentOrchestrator"];

    public static async Task RecordAsync(DurableEngine engine)
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder) || engine.OrchestrationService is not DurableTask.AzureStorage.AzureStorageOrchestrationService service)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var query = new OrchestrationQuery { PageSize = 1000, RuntimeStatus = [OrchestrationStatus.Completed] };
        var found = await service.GetOrchestrationWithQueryAsync(query, CancellationToken.None);
        var instances = found.OrchestrationState.Where(s => Recorded.Contains(s.Name)).ToList();
        if (instances.Count > 12)
        {
            return; // load tests: many copies of one path
        }

        foreach (var instance in instances)
        {
            var raw = await service.GetOrchestrationHistoryAsync(instance.OrchestrationInstance.InstanceId, instance.OrchestrationInstance.ExecutionId);
            var history = HistoryReplayer.ParseUntyped(raw);
            // A child's id ("{parent}:refund-1") holds ':', which is no file name character everywhere.
            var name = instance.OrchestrationInstance.InstanceId.Replace(':', '-');
            var path = Path.Combine(folder, name + ".history.json");
            for (var n = 2; File.Exists(path); n++)
            {
                path = Path.Combine(folder, $"{name}-{n}.history.json");
            }

            await File.WriteAllTextAsync(path, HistoryReplayer.SerializeHistory(history));
        }
    }
}
