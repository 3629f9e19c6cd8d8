using OrderFlow.Workflows.Orchestrators;

namespace OrderFlow.Workflows.Tests.Replay;

/// <summary>
/// No history change: order and return histories recorded on the engine before a workflow refactor (Replay/Goldens,
/// one <c>*.history.json</c> per instance) are replayed against today's code. The replay must end as the recorded run
/// ended, and the code must ask for exactly the durable actions recorded from the code of that time
/// (<c>*.actions.txt</c>: activities with inputs and retry policy, timers, waits, custom statuses, entity calls and locks).
/// </summary>
/// <remarks>
/// To record histories: run the workflow tests with <c>ORDERFLOW_RECORD_HISTORIES=&lt;folder&gt;</c> (Azure Storage
/// backend) and copy the files into Replay/Goldens. To write the expected actions from the current code:
/// <c>ORDERFLOW_WRITE_GOLDENS=&lt;repo&gt;/tests/OrderFlow.Workflows.Tests/Replay/Goldens</c>.
/// </remarks>
public sealed class ReplayGoldenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Replay", "Goldens");

    public static TheoryData<string> Histories()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.history.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".history.json".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public async Task Replay_RecordedHistory_SchedulesTheRecordedActionsAndEndsTheSame(string instance)
    {
        var history = HistoryReplayer.DeserializeHistory(await File.ReadAllTextAsync(Path.Combine(Folder, instance + ".history.json")));

        var actions = HistoryReplayer.Replay(history);

        var write = Environment.GetEnvironmentVariable("ORDERFLOW_WRITE_GOLDENS");
        if (!string.IsNullOrEmpty(write))
        {
            await File.WriteAllLinesAsync(Path.Combine(write, instance + ".actions.txt"), actions);
        }

        var expected = await File.ReadAllLinesAsync(Path.Combine(Folder, instance + ".actions.txt"));
        Assert.DoesNotContain(actions, a => a.StartsWith("RECORDED END DIFFERS", StringComparison.Ordinal));
        Assert.StartsWith("end Completed ", actions[^1], StringComparison.Ordinal);
        Assert.Equal(expected, actions);
    }

    [Fact]
    public void Histories_CoverEveryOrderWorkflowRevision() =>
        // Orders of every revision may still be running after a deployment: each one has a recorded history here.
        AssertEveryRevisionRecorded(
            "order", nameof(OrderOrchestrator), typeof(Contracts.OrderWorkflowVersions), input => System.Text.Json.JsonSerializer.Deserialize<Contracts.OrderWorkflowInput>(input)!.Revision);

    [Fact]
    public void Histories_CoverEveryReturnWorkflowRevision() =>
        // Returns run for weeks too: every revision of the return workflow has a recorded history here.
        AssertEveryRevisionRecorded(
            "return", nameof(ReturnOrchestrator), typeof(Contracts.ReturnWorkflowVersions), input => System.Text.Json.JsonSerializer.Deserialize<Contracts.ReturnWorkflowInput>(input)!.Revision);

    [Fact]
    public void Histories_CoverTheRefundChildOfTheOrderAndOfTheReturn()
    {
        // The child a parent refunds through replays on its own: its recorded histories, started by an order and by a return.
        var parents = Starts()
            .Where(e => e.Name == nameof(RefundOrchestrator))
            .Select(e => e.ParentInstance?.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains(nameof(OrderOrchestrator), parents);
        Assert.Contains(nameof(ReturnOrchestrator), parents);
    }

    [Fact]
    public void Histories_CoverTheFulfillmentChildShippingAndStopped()
    {
        // A parcel's child replays on its own: recorded histories of one that shipped and one its order stopped.
        var outcomes = Directory.GetFiles(Folder, "*.history.json")
            .Select(f => HistoryReplayer.DeserializeHistory(File.ReadAllText(f)))
            .Where(h => h.OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single() is { Name: nameof(FulfillmentOrchestrator), ParentInstance.Name: nameof(OrderOrchestrator) })
            .Select(h => System.Text.Json.JsonSerializer.Deserialize<Contracts.FulfillmentOutcome>(h.OfType<DurableTask.Core.History.ExecutionCompletedEvent>().Single().Result ?? "null")!)
            .ToList();

        Assert.Contains(outcomes, o => o.Shipped is not null && o.Cancelled is null);
        Assert.Contains(outcomes, o => o.Cancelled is not null);
    }

    [Fact]
    public void Histories_CoverTheOrderAndTheReturnWorkflow()
    {
        var names = Directory.GetFiles(Folder, "*.history.json")
            .Select(f => HistoryReplayer.DeserializeHistory(File.ReadAllText(f)).OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains(nameof(OrderOrchestrator), names);
        Assert.Contains(nameof(ReturnOrchestrator), names);
    }

    private static IEnumerable<DurableTask.Core.History.ExecutionStartedEvent> Starts() =>
        Directory.GetFiles(Folder, "*.history.json")
            .Select(f => HistoryReplayer.DeserializeHistory(File.ReadAllText(f)).OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single());

    /// <summary>Every revision constant of <paramref name="versions"/> (but Current) has a recorded history of <paramref name="orchestrator"/>.</summary>
    private static void AssertEveryRevisionRecorded(string what, string orchestrator, Type versions, Func<string, int> revisionOf)
    {
        var recorded = Starts().Where(e => e.Name == orchestrator).Select(e => revisionOf(e.Input)).ToHashSet();
        var revisions = versions.GetFields()
            .Where(f => f.IsLiteral && f.Name != "Current")
            .Select(f => (f.Name, Revision: (int)f.GetRawConstantValue()!));

        Assert.All(revisions, r => Assert.True(recorded.Contains(r.Revision), $"no recorded {what} history of revision {r.Revision} ({r.Name}): record one (see remarks)."));
    }
}
