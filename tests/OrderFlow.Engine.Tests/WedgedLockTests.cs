namespace OrderFlow.Engine.Tests;

/// <summary>
/// Reading an entity's scheduler state for the wedge the soak found: the lock holder's own request queued behind another
/// orchestration's (the entity serves only the holder, and only from the head of its queue).
/// </summary>
public sealed class WedgedLockTests
{
    [Theory]
    [InlineData("""{"exists":true,"lockedBy":"order-2","queue":[{"parent":"order-1"},{"parent":"order-2"}]}""", "order-2")]
    [InlineData("""{"exists":true,"lockedBy":"order-2","queue":[{"parent":"order-2"},{"parent":"order-1"}]}""", null)] // served next
    [InlineData("""{"exists":true,"lockedBy":"order-2","queue":[{"parent":"order-1"}]}""", null)] // holder busy elsewhere
    [InlineData("""{"exists":true,"queue":[{"parent":"order-1"},{"parent":"order-2"}]}""", null)] // not locked
    [InlineData("""{"exists":true,"lockedBy":"order-2"}""", null)]
    [InlineData("not json", null)]
    [InlineData("[]", null)]
    public void WedgedHolder_OnlyWhenTheHoldersOwnRequestWaitsBehindAnother(string schedulerState, string? expected) =>
        Assert.Equal(expected, TaskHubWorkflowClient.WedgedHolder(schedulerState));
}
