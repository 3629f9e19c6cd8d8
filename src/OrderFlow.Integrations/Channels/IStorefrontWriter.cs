namespace OrderFlow.Integrations.Channels;

/// <summary>Writes OrderFlow's order facts back to the storefront the order came from.</summary>
public interface IStorefrontWriter
{
    /// <summary>The sales channel's name (as <see cref="ISalesChannel.Name"/>).</summary>
    string Channel { get; }

    /// <summary>True when the channel is configured and its WriteBack option is on.</summary>
    bool Enabled { get; }

    /// <summary>
    /// Applies the write once: it reads the storefront first and skips what is already there, so a retry after a lost
    /// answer adds nothing twice. Throws <see cref="SalesChannelRejectedException"/> when the storefront refuses it, and
    /// any other exception when it cannot be reached.
    /// </summary>
    Task WriteAsync(WriteBackRequest request, CancellationToken cancellationToken = default);
}
