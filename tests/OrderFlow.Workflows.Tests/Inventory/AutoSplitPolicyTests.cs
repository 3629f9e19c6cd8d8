using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Inventory;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Tests.Inventory;

/// <summary>
/// The automatic split's decisions (<c>Inventory:AutoSplit</c>) on a fake clock: on above the threshold and not at or
/// below it, off only after the quiet time (a busier pass starts it again), configuration always wins, a SKU switched
/// off is forgotten only once its shards are empty; and the entity's per-minute reservation count it decides on.
/// </summary>
public sealed class AutoSplitPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static readonly AutoSplitOptions Options = new() { Enabled = true, Shards = 4, OnAbove = 100, OffBelow = 20, OffAfter = TimeSpan.FromMinutes(30) };

    [Fact]
    public void Decide_AboveOnAbove_SplitsIntoTheConfiguredShards()
    {
        var decision = AutoSplitPolicy.Decide(Options, configured: false, "HOT", null, 101, shardsEmpty: true, T0);

        Assert.Equal(AutoSplitChange.On, decision.Change);
        Assert.Equal(new AutoSplit("HOT", 4, T0, 101), decision.Next);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    public void Decide_AtOrBelowOnAbove_StaysUnsplit(int perMinute)
    {
        var decision = AutoSplitPolicy.Decide(Options, configured: false, "HOT", null, perMinute, shardsEmpty: true, T0);

        Assert.Equal(new AutoSplitDecision(AutoSplitChange.None, null), decision);
    }

    [Fact]
    public void Decide_Disabled_NeverSplits()
    {
        var disabled = new AutoSplitOptions { Enabled = false, OnAbove = 100 };

        Assert.Equal(AutoSplitChange.None, AutoSplitPolicy.Decide(disabled, configured: false, "HOT", null, 10_000, shardsEmpty: true, T0).Change);
    }

    [Fact]
    public void Decide_SkuListedInSplitSkus_IsNeverChanged()
    {
        var on = new AutoSplit("HOT", 4, T0, 500);

        Assert.Equal(new AutoSplitDecision(AutoSplitChange.None, null), AutoSplitPolicy.Decide(Options, configured: true, "HOT", null, 10_000, shardsEmpty: true, T0));
        Assert.Equal(new AutoSplitDecision(AutoSplitChange.None, on), AutoSplitPolicy.Decide(Options, configured: true, "HOT", on, 0, shardsEmpty: true, T0.AddDays(1)));
    }

    [Fact]
    public void Decide_Quiet_SwitchesOffOnlyAfterOffAfter()
    {
        var on = new AutoSplit("HOT", 4, T0, 500);

        var first = AutoSplitPolicy.Decide(Options, false, "HOT", on, 19, false, T0.AddMinutes(10));
        var during = AutoSplitPolicy.Decide(Options, false, "HOT", first.Next, 5, false, T0.AddMinutes(39));
        var after = AutoSplitPolicy.Decide(Options, false, "HOT", during.Next, 0, false, T0.AddMinutes(40));

        Assert.Equal((AutoSplitChange.Quiet, (DateTimeOffset?)T0.AddMinutes(10), 4), (first.Change, first.Next!.QuietSince, first.Next.Shards));
        Assert.Equal((AutoSplitChange.None, 4), (during.Change, during.Next!.Shards));
        Assert.Equal(AutoSplitChange.Off, after.Change);
        Assert.Equal(new AutoSplit("HOT", 1, T0.AddMinutes(40), 0), after.Next);
    }

    [Fact]
    public void Decide_BusyPassDuringTheQuietTime_StartsItAgain()
    {
        var quiet = new AutoSplit("HOT", 4, T0, 500, QuietSince: T0.AddMinutes(10));

        var busy = AutoSplitPolicy.Decide(Options, false, "HOT", quiet, 20, false, T0.AddMinutes(35));
        var later = AutoSplitPolicy.Decide(Options, false, "HOT", busy.Next, 0, false, T0.AddMinutes(45));
        var notYet = AutoSplitPolicy.Decide(Options, false, "HOT", later.Next, 0, false, T0.AddMinutes(74));

        Assert.Equal((AutoSplitChange.Busy, (DateTimeOffset?)null), (busy.Change, busy.Next!.QuietSince));
        Assert.Equal(AutoSplitChange.Quiet, later.Change);
        Assert.Equal((AutoSplitChange.None, 4), (notYet.Change, notYet.Next!.Shards));
    }

    [Fact]
    public void Decide_SwitchedOff_RememberedWhileAShardHoldsUnitsThenForgotten()
    {
        var off = new AutoSplit("HOT", 1, T0, 0);

        Assert.Equal(new AutoSplitDecision(AutoSplitChange.None, off), AutoSplitPolicy.Decide(Options, false, "HOT", off, 0, shardsEmpty: false, T0.AddMinutes(1)));
        Assert.Equal(new AutoSplitDecision(AutoSplitChange.Forget, null), AutoSplitPolicy.Decide(Options, false, "HOT", off, 0, shardsEmpty: true, T0.AddMinutes(2)));
        Assert.Equal(AutoSplitChange.On, AutoSplitPolicy.Decide(Options, false, "HOT", off, 101, shardsEmpty: false, T0.AddMinutes(3)).Change);
    }

    [Fact]
    public void Decide_DisabledWhileSplit_SwitchesOff()
    {
        var on = new AutoSplit("HOT", 4, T0, 500);

        Assert.Equal(AutoSplitChange.Off, AutoSplitPolicy.Decide(new AutoSplitOptions { Enabled = false }, false, "HOT", on, 10_000, false, T0.AddMinutes(1)).Change);
    }

    [Fact]
    public void ReservationRate_CountsPerClockMinute_TheFullerOfTheLastWholeMinuteAndTheCurrent()
    {
        var rate = new ReservationRate();
        for (var i = 0; i < 30; i++)
        {
            rate.Add(T0.AddSeconds(i * 2));
        }

        rate.Add(T0.AddSeconds(61));

        Assert.Equal(30, rate.PerMinute(T0.AddSeconds(62)));
        Assert.Equal(1, rate.PerMinute(T0.AddSeconds(125)));
        Assert.Equal(0, rate.PerMinute(T0.AddMinutes(3)));
    }

    [Fact]
    public async Task CheckAsync_SwitchesOnAndOff_RecordsInTheStoreAndTheSharedViewButLeavesConfiguredSkus()
    {
        var store = new FakeAutoSplitStore();
        var inventory = new InventoryOptions { AutoSplit = { Enabled = true, Shards = 3, OnAbove = 2, OffBelow = 1, OffAfter = TimeSpan.FromMinutes(5) }, SplitSkus = { ["LISTED"] = 1 } };
        inventory.UseAutomaticSplits(new AutoSplitRegistry(store));
        var splitter = new AutoSplitter(store, Microsoft.Extensions.Options.Options.Create(inventory), NullLogger<AutoSplitter>.Instance);
        var busy = new SkuInventory();
        busy.ReserveRate.Add(T0);
        busy.ReserveRate.Add(T0);
        busy.ReserveRate.Add(T0);

        Assert.Equal(AutoSplitChange.On, await splitter.CheckAsync("HOT", [("HOT", busy)], T0.AddSeconds(30)));
        Assert.Equal(AutoSplitChange.None, await splitter.CheckAsync("LISTED", [("LISTED", busy)], T0.AddSeconds(30)));
        Assert.Equal((3, true, 1, false), (inventory.ShardsOf("HOT"), inventory.WasSplit("HOT"), inventory.ShardsOf("LISTED"), inventory.AutomaticSplits.Find("LISTED") is not null));
        Assert.Equal(3, store.Of("HOT")!.Shards);

        var shardWithAHold = new SkuInventory();
        shardWithAHold.Locations["east"] = new LocationStock { OnHand = 1, Reserved = 1 };
        Assert.Equal(AutoSplitChange.Quiet, await splitter.CheckAsync("HOT", [("HOT", busy), ("HOT~shard1", shardWithAHold)], T0.AddMinutes(10)));
        Assert.Equal(AutoSplitChange.Off, await splitter.CheckAsync("HOT", [("HOT", busy), ("HOT~shard1", shardWithAHold)], T0.AddMinutes(15)));
        Assert.Equal((1, true), (inventory.ShardsOf("HOT"), inventory.WasSplit("HOT")));
        Assert.Equal(AutoSplitChange.Forget, await splitter.CheckAsync("HOT", [("HOT", busy), ("HOT~shard1", new SkuInventory())], T0.AddMinutes(16)));
        Assert.Equal((1, false, (AutoSplit?)null), (inventory.ShardsOf("HOT"), inventory.WasSplit("HOT"), store.Of("HOT")));
    }

    [Theory]
    [InlineData("Inventory:AutoSplit:Shards", "1", "Inventory:AutoSplit:Shards must be between 2 and 16.")]
    [InlineData("Inventory:AutoSplit:Shards", "17", "Inventory:AutoSplit:Shards must be between 2 and 16.")]
    [InlineData("Inventory:AutoSplit:OnAbove", "0", "Inventory:AutoSplit:OnAbove must be between 1 and 1000000 reservations per minute.")]
    [InlineData("Inventory:AutoSplit:OffBelow", "700", "Inventory:AutoSplit:OffBelow (700) must not be above Inventory:AutoSplit:OnAbove (600).")]
    [InlineData("Inventory:AutoSplit:OffAfter", "00:00:30", "Inventory:AutoSplit:OffAfter must be between 1 minute and 7 days.")]
    public void Validate_AutoSplitOutOfRange_NamesTheSetting(string key, string value, string message)
    {
        var options = new InventoryOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build().GetSection(InventoryOptions.Section).Bind(options);

        Assert.Equal([message], options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage));
    }

    [Fact]
    public void Bind_AutoSplitEnabled_OffByDefaultAndKeepsTheOtherDefaults()
    {
        var options = new InventoryOptions();
        Assert.False(options.AutoSplit.Enabled);
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Inventory:AutoSplit:Enabled"] = "true" }).Build().GetSection(InventoryOptions.Section).Bind(options);

        Assert.Equal((true, 4, 600, 120, TimeSpan.FromMinutes(30)), (options.AutoSplit.Enabled, options.AutoSplit.Shards, options.AutoSplit.OnAbove, options.AutoSplit.OffBelow, options.AutoSplit.OffAfter));
        Assert.Empty(options.Validate(new ValidationContext(options)));
    }
}
