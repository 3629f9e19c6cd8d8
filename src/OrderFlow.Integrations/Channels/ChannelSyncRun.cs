namespace OrderFlow.Integrations.Channels;

/// <summary>What one pass of the pusher did: SKUs found dirty, and (SKU, channel) pushes that succeeded or failed.</summary>
public sealed record ChannelSyncRun(int DirtySkus, int Pushed, int Failed)
{
    public static ChannelSyncRun Idle { get; } = new(0, 0, 0);
}
