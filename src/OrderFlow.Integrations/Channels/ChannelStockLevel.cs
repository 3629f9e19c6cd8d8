namespace OrderFlow.Integrations.Channels;

/// <summary>Available units of one SKU at one OrderFlow location, as a sales channel should show them.</summary>
public sealed record ChannelStockLevel(string Sku, string Location, int Available);
