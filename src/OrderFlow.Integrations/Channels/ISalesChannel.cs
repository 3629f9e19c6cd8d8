namespace OrderFlow.Integrations.Channels;

/// <summary>A storefront or marketplace that sells OrderFlow's stock and must show what is available.</summary>
public interface ISalesChannel
{
    /// <summary>Stable name: letters and digits only (it names the channel's column in the ChannelSync table).</summary>
    string Name { get; }

    /// <summary>
    /// Sets the channel's available quantities to the given absolute levels. Throws
    /// <see cref="SalesChannelRejectedException"/> when the channel refuses the data (the next batch may still work), and
    /// any other exception when the channel cannot be reached.
    /// </summary>
    Task PushAsync(IReadOnlyList<ChannelStockLevel> levels, CancellationToken cancellationToken = default);
}
