using OrderFlow.Functions.Triggers;
using OrderFlow.Workflows;

namespace OrderFlow.Functions.Tests;

/// <summary>The functions.metadata the build wrote (what the Functions host indexes) covers the registry and the API.</summary>
public sealed class FunctionsMetadataTests
{
    private readonly IReadOnlyList<MetadataFunction> functions = FunctionsApp.ReadMetadata();

    public static TheoryData<string, string> DurableTasks()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in WorkflowRegistry.Orchestrators)
        {
            data.Add(type.Name, "orchestrationTrigger");
        }

        foreach (var type in WorkflowRegistry.Activities)
        {
            data.Add(type.Name, "activityTrigger");
        }

        foreach (var type in WorkflowRegistry.Entities)
        {
            data.Add(type.Name, "entityTrigger");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DurableTasks))]
    public void Metadata_RegistryTask_HasFunctionWithItsTrigger(string name, string triggerType)
    {
        var function = Assert.Single(functions, f => f.Name == name);

        Assert.Equal(triggerType, function.Trigger.Type);
        Assert.Equal("In", function.Trigger.Direction);
    }

    [Fact]
    public void Metadata_ApiEndpoints_EachHasOneHttpTriggerWithSameRouteAndVerbs()
    {
        var endpoints = FunctionsApp.ApiEndpoints();
        var httpFunctions = functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();

        Assert.Equal(
            endpoints.Select(e => $"{e.Name} {string.Join(',', e.Methods)} {e.Route}").Order(StringComparer.Ordinal),
            httpFunctions.Select(f => $"{f.Name} {string.Join(',', f.Trigger.Methods)} {f.Trigger.Route}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Metadata_HttpFunctions_AnswerOverHttpAndGetTheDurableClient()
    {
        foreach (var function in functions.Where(f => f.Trigger.Type == "httpTrigger"))
        {
            Assert.Contains(function.Bindings, b => b.Type == "http" && b.Direction == "Out");
            Assert.Contains(function.Bindings, b => b.Type == "durableClient" && b.Direction == "In");
        }
    }

    [Theory]
    [InlineData(nameof(ChannelSyncTimerTrigger.ChannelSyncTimer), ChannelSyncTimerTrigger.ScheduleSetting)]
    [InlineData(nameof(ReservationReaperTimerTrigger.ReservationReaperTimer), ReservationReaperTimerTrigger.ScheduleSetting)]
    [InlineData(nameof(WatchdogTimerTrigger.WatchdogTimer), WatchdogTimerTrigger.ScheduleSetting)]
    public void Metadata_Timer_ScheduleComesFromAnAppSettingListedInTheSampleAndSetByBicep(string function, string scheduleSetting)
    {
        var trigger = Assert.Single(functions, f => f.Name == function).Trigger;

        Assert.Equal("timerTrigger", trigger.Type);
        Assert.Equal($"%{scheduleSetting}%", trigger.Schedule);
        Assert.True(LocalSettingsSample.Values().ContainsKey(scheduleSetting), "local.settings.sample.json must list the schedule setting.");
        Assert.Contains(scheduleSetting, BicepFile.Load("app.bicep").ObjectKeys("baseAppSettings"));
    }

    [Fact]
    public void Metadata_ReconciliationTimer_HasTimerTriggerAndTheDurableClient()
    {
        var function = Assert.Single(functions, f => f.Name == nameof(Triggers.ReconciliationTimerTrigger.ReconciliationTimer));

        Assert.Equal("timerTrigger", function.Trigger.Type);
        Assert.Contains(function.Bindings, b => b.Type == "durableClient" && b.Direction == "In");
    }

    [Fact]
    public void Metadata_AllFunctions_AreExactlyRegistryPlusApiPlusTimers()
    {
        var expected = WorkflowRegistry.Orchestrators.Concat(WorkflowRegistry.Activities).Concat(WorkflowRegistry.Entities)
            .Select(t => t.Name)
            .Concat(FunctionsApp.ApiEndpoints().Select(e => e.Name))
            .Concat(FunctionsApp.TimerFunctions)
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, functions.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
