namespace OrderFlow.Integrations.Channels;

/// <summary>The latest recorded levels of one SKU, its version, and the version each channel has received.</summary>
public sealed record ChannelSyncRow(
    string Sku,
    IReadOnlyDictionary<string, int> AvailableByLocation,
    long Version,
    IReadOnlyDictionary<string, long> PushedVersions)
{
    /// <summary>The version <paramref name="channel"/> last received, 0 when never.</summary>
    public long PushedTo(string channel) => PushedVersions.TryGetValue(channel, out var version) ? version : 0;
}
